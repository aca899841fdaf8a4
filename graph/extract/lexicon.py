"""Word lists and gazetteers used by the extraction rules.

Everything here is genre knowledge about how NGO statements are written
(trigger verbs, the head words of courts and state bodies, how defenders
are introduced, currency words), never facts about particular cases.
Kept as plain Python constants so that they are readable, diffable and
packaged without data-file plumbing.
"""
from __future__ import annotations

# ------------------------------------------------------------------ people

#: Honorifics that may precede a name (the dot is optional).
HONORIFICS = ("Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Sheikh", "Mx", "Me")

#: Lower-case words that may sit inside a personal name.
NAME_PARTICLES = {"al", "el", "bin", "ibn", "bint", "de", "del", "della", "da", "do", "dos", "das",
                  "van", "von", "der", "den", "la", "le", "du", "di", "y", "e", "ben", "abu", "ter"}

#: Nouns that present someone as a human rights defender, longest first.
DEFENDER_ROLES = (
    "woman human rights defender", "women human rights defender", "women's rights defender",
    "woman rights defender", "human rights defenders", "human rights defender",
    "land rights defender", "environmental rights defender", "environmental defender",
    "land defender", "rights defender", "human rights lawyer", "rights lawyer", "lawyer",
    "defender", "defenders", "activist", "activists", "journalist", "journalists", "blogger",
    "video blogger", "citizen journalist", "investigative journalist", "human rights reporter",
    "reporter", "monitor", "labour rights monitor", "paralegal", "student leader", "advocate",
    "trade unionist", "unionist", "campaigner", "researcher", "documentation officer",
    "spokesperson", "coordinator", "co-founder", "founder", "convenor", "chairperson",
    "president", "secretary", "director", "head", "leader", "member", "founding member",
    "board member", "gender officer", "colleague", "co-defendant",
)
#: Strong cues: whoever they name is a defender even if also a relative.
STRONG_DEFENDER_ROLES = {
    "woman human rights defender", "women human rights defender", "women's rights defender",
    "human rights defender", "land rights defender", "environmental rights defender",
    "environmental defender", "land defender", "rights defender", "human rights lawyer",
    "rights lawyer", "defender", "activist", "journalist", "blogger", "citizen journalist",
    "investigative journalist", "human rights reporter", "video blogger", "student leader",
}
#: Relatives and bystanders: named people who are not presented as defenders.
RELATIVE_ROLES = {
    "wife": "F", "husband": "M", "brother": "M", "sister": "F", "mother": "F", "father": "M",
    "son": "M", "daughter": "F", "nephew": "M", "niece": "F", "cousin": None, "uncle": "M",
    "aunt": "F", "partner": None, "relative": None, "grandson": "M", "granddaughter": "F",
    "grandmother": "F", "grandfather": "M", "fiancée": "F", "fiancé": "M",
}
#: Occupations that, alone, do not make someone a defender.
BYSTANDER_ROLES = {"vendor", "driver", "tricycle driver", "farmer", "mechanic", "schoolteacher",
                   "student", "engineer", "market vendor", "witness", "neighbour", "passer-by",
                   "university lecturer", "teacher", "shopkeeper"}
#: Officials and spokespeople quoted or addressed; optional people in answer keys.
OFFICIAL_ROLES = {"president", "king", "prime minister", "minister", "judge", "prosecutor",
                  "researcher", "director", "manager", "spokesperson", "official", "officer"}

FEMALE_WORDS = {"she", "her", "hers", "herself", "woman", "ms", "mrs", "miss", "wife", "sister",
                "mother", "daughter"}
MALE_WORDS = {"he", "him", "his", "himself", "mr", "husband", "brother", "father", "son",
              "nephew"}

#: Words that look like names but never are (sentence starters, titles, places...).
NOT_NAME_WORDS = {
    "The", "On", "In", "At", "Since", "After", "Before", "During", "From", "Following", "Her",
    "His", "Their", "She", "He", "They", "It", "This", "That", "These", "Those", "A", "An",
    "Mr", "Ms", "Mrs", "Dr", "Both", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight",
    "Nine", "Ten", "One", "Officers", "Police", "Tags", "Topic", "Region", "Country", "Date",
    "Type", "Case", "Update", "Urgent", "Action", "Actions", "Background", "Description",
    "Addresses", "Press", "Contact", "Contacts", "Please", "Kindly", "Dear", "Yours", "Your",
    "Majesty", "Excellency", "Head", "Office", "Head Office", "EU", "UN", "UA", "Index",
    "Statement", "Appeal", "News", "Release", "Share", "Print", "Published", "Related",
    "Read", "More", "Recommendations", "Follow", "Most", "Viewed", "Signatories", "Endorsed",
    "Street", "Road", "Avenue", "Square", "Prison", "Court", "Law", "Article", "Section",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Earlier", "Later", "Yesterday", "Today", "Instead",
    "Despite", "Although", "While", "When", "Where", "Who", "Whose", "What", "Which", "If",
    "As", "According", "Under", "Between", "Neither", "No", "Not", "All", "Some", "Several",
    "Many", "Dozens", "Airline", "Agents", "Witnesses", "Relatives", "Lawyers", "Judges",
    "Human", "Rights", "Defender", "Defenders", "Woman", "Women", "Lawyer", "Journalist",
    "Activist", "Blogger", "Citizen", "Indigenous", "Facebook", "Telegram", "WhatsApp",
    "YouTube", "Twitter", "Instagram", "TikTok", "VKontakte", "Signal", "X", "Also", "And",
    "But", "Or", "For", "With", "Without", "By", "Of", "To", "Via", "Per", "Sir", "Madam",
    "Language", "Languages", "Name", "Pronoun", "Link", "Previous", "Take", "Write",
    "Immediately", "Guarantee", "Ensure", "Carry", "End", "Put", "Release", "Drop", "Lift",
    "Quash", "Refrain", "Cease", "Stop", "Return", "Respect", "Repeal", "Amend", "Annul",
    "Withdraw", "Decriminalise", "Adopt", "Grant", "Allow", "Investigate", "Mechanism",
    "Ministry", "State", "Government", "Republic", "Kingdom", "Federation", "Council",
    "Code", "Act", "Organisation", "Organization", "Review", "Pipeline", "Secretariat", "Against",
    "Association", "Network", "Forum", "Committee", "Department", "Agency", "Bureau", "Service",
    "Division", "Directorate", "Tribunal", "Award", "Airport", "International", "Centre", "Center",
    "Watch", "Alliance", "Coalition", "Foundation", "Initiative", "Group", "Union", "Party",
}

# ------------------------------------------------------------- organisations

#: Head words of courts (matched case-sensitively as capitalised words).
COURT_HEADS = ("Court", "Courts", "Tribunal", "Judgeship", "Chamber", "Bench")
#: Head words of state bodies.
AUTHORITY_HEADS = (
    "Police", "Police Force", "Police Department", "Police Station", "Police Service", "Prosecution",
    "Prosecutor's Office", "Prosecutor’s Office", "Prosecutor", "Prosecutor General", "Procuratorate",
    "Attorney General", "Attorney General's Office", "Attorney General’s Office", "Ministry",
    "Department", "Directorate", "Directorate General", "Agency", "Bureau", "Service", "Services",
    "Apparatus", "Presidency", "Committee", "Commission", "Gendarmerie", "Guard", "Guards",
    "Army", "Military", "Forces", "Force", "Division", "Branch", "Unit", "Administration",
    "Magistrate", "Commissioner", "Deputy Commissioner", "Governor", "Governorate", "Office",
    "Task Force", "Secretariat", "Inspectorate", "Intelligence", "Security", "Prison", "Jail",
    "Centre", "Center", "Facility", "Colony", "Institution",
    "Council", "Authority", "Affairs",
)
#: Words marking a state body (used to split state bodies from NGOs).
STATE_WORDS = {
    "Police", "Prosecution", "Prosecutor", "Prosecutor's", "Prosecutor’s", "Procuratorate",
    "Attorney", "Ministry", "Minister", "Directorate", "Agency", "Bureau", "Apparatus",
    "Presidency", "Gendarmerie", "Magistrate", "Commissioner", "Administration", "Security",
    "Intelligence", "Investigation", "Investigative", "Investigations", "Immigration",
    "Migration", "Border", "Penitentiary", "Prison", "Jail", "Detention", "Correctional",
    "Government", "Parliament", "State", "Federal", "Municipal", "Provincial", "National",
    "Interior", "Justice", "Defence", "Defense", "Passports", "Residence", "Nationality",
    "Task", "Army", "Military", "Armed", "Guard", "Governor", "Public", "Counter-Terrorism",
    "Counter", "Terrorism", "Crime", "Anti-Corruption", "Internal", "Affairs",
}
#: Head words of NGOs and other non-state organisations.
NGO_HEADS = (
    "Association", "Network", "Forum", "Initiative", "Foundation", "Collective", "Alliance",
    "Coalition", "Council", "Committee", "Assembly", "Trust", "Centre", "Center", "Group",
    "Movement", "Union", "Federation", "Institute", "Observatory", "Society", "League",
    "Watch", "Monitors", "Monitor", "Defenders", "International", "Project", "Platform",
    "Front", "Campaign", "Organisation", "Organization", "Fund", "Bar Association", "Law Firm",
    "Firm", "Party", "Syndicate", "Club", "Circle", "Mission", "Programme", "Program",
)
#: Company suffixes.
COMPANY_SUFFIXES = ("S.A. de C.V.", "S.A.", "Ltd.", "Ltd", "LLC", "Inc.", "GmbH", "PLC", "plc",
                    "Co.", "Corp.", "S.A.S.", "SARL", "JSC", "LLP")

#: Phrases that introduce an organisation the person belongs to or leads.
MEMBERSHIP_CUES = (
    "member of", "members of", "founding member of", "board member of", "co-founder of",
    "cofounder of", "founder of", "founders of", "coordinator of", "director of", "head of",
    "president of", "secretary of", "general secretary of", "convenor of", "chairperson of",
    "chair of", "leader of", "spokesperson of", "researcher with", "lawyer with", "partner at",
    "works for", "working for", "worked for", "leads", "heads", "runs", "coordinates",
    "staff of", "volunteer with", "officer of", "organisation", "organization", "initiative",
    "group", "network", "platform", "collective", "association", "alliance", "movement",
)

#: Well-known publishers of statements about defenders: canonical name and the
#: other ways they sign.
PUBLISHERS = {
    "Front Line Defenders": ("Front Line Defenders", "FRONT LINE DEFENDERS", "Front Line"),
    "Observatory for the Protection of Human Rights Defenders": (
        "Observatory for the Protection of Human Rights Defenders", "The Observatory",
        "THE OBSERVATORY", "OBSERVATORY FOR THE PROTECTION OF HUMAN RIGHTS DEFENDERS"),
    "Amnesty International": ("Amnesty International", "Amnesty", "AMNESTY INTERNATIONAL"),
    "Human Rights Watch": ("Human Rights Watch", "HRW"),
    "CIVICUS": ("CIVICUS Monitor", "CIVICUS"),
    "International Service for Human Rights": ("International Service for Human Rights", "ISHR"),
    "Office of the United Nations High Commissioner for Human Rights": (
        "Office of the United Nations High Commissioner for Human Rights", "OHCHR",
        "United Nations Human Rights – Office of the High Commissioner",
        "Office of the High Commissioner", "UN experts", "UN Human Rights"),
    "FIDH": ("FIDH", "International Federation for Human Rights"),
    "World Organisation Against Torture": ("World Organisation Against Torture", "OMCT"),
    "ARTICLE 19": ("ARTICLE 19", "Article 19"),
    "Committee to Protect Journalists": ("Committee to Protect Journalists", "CPJ"),
    "Reporters Without Borders": ("Reporters Without Borders", "RSF"),
    "Gulf Centre for Human Rights": ("Gulf Centre for Human Rights", "GCHR"),
    "Protection International": ("Protection International",),
    "Peace Brigades International": ("Peace Brigades International", "PBI"),
    "International Commission of Jurists": ("International Commission of Jurists", "ICJ"),
    "Lawyers for Lawyers": ("Lawyers for Lawyers",),
    "Civil Rights Defenders": ("Civil Rights Defenders",),
    "PEN International": ("PEN International",),
    "Freedom House": ("Freedom House",),
    "Index on Censorship": ("Index on Censorship",),
}

# ---------------------------------------------------------------- money

#: Currency words as written in statements -> ISO 4217.  Ambiguous words
#: ("dinar", "rupee"...) are settled by a demonym or by the statement's country.
CURRENCY_WORDS = {
    "tenge": "KZT", "rial": "IRR", "rials": "IRR", "riel": "KHR", "riels": "KHR",
    "ruble": "RUB", "rubles": "RUB", "rouble": "RUB", "roubles": "RUB", "somoni": "TJS",
    "lira": "TRY", "liras": "TRY", "lari": "GEL", "manat": "AZN", "manats": "AZN",
    "dong": "VND", "yuan": "CNY", "renminbi": "CNY", "lempira": "HNL", "lempiras": "HNL",
    "quetzal": "GTQ", "quetzales": "GTQ", "quetzals": "GTQ", "córdoba": "NIO",
    "córdobas": "NIO", "cordobas": "NIO", "baht": "THB", "euro": "EUR", "euros": "EUR",
    "taka": "BDT", "kyat": "MMK", "kyats": "MMK", "hryvnia": "UAH", "hryvnias": "UAH",
    "naira": "NGN", "rand": "ZAR", "kwacha": "ZMW", "birr": "ETB", "cedi": "GHS",
    "cedis": "GHS", "ringgit": "MYR", "rupiah": "IDR", "won": "KRW", "yen": "JPY",
    "zloty": "PLN", "forint": "HUF", "leu": "RON", "lei": "RON", "dram": "AMD", "drams": "AMD",
    "afghani": "AFN", "afghanis": "AFN", "ouguiya": "MRU", "franc": None, "francs": None,
    "dinar": None, "dinars": None, "pound": None, "pounds": None, "rupee": None, "rupees": None,
    "peso": None, "pesos": None, "dollar": None, "dollars": None, "som": None, "soms": None,
    "sum": "UZS", "soum": "UZS", "soums": "UZS", "shilling": None, "shillings": None,
    "riyal": None, "riyals": None, "dirham": None, "dirhams": None, "real": "BRL",
    "reais": "BRL", "bolivar": "VES", "bolivars": "VES", "sol": "PEN", "soles": "PEN",
}
#: Ambiguous currency words by country (ISO 3166 alpha-2 -> ISO 4217).
COUNTRY_CURRENCY = {
    "BH": "BHD", "TN": "TND", "DZ": "DZD", "JO": "JOD", "IQ": "IQD", "KW": "KWD", "LY": "LYD",
    "RS": "RSD", "EG": "EGP", "SD": "SDG", "SS": "SSP", "LB": "LBP", "SY": "SYP", "GB": "GBP",
    "IN": "INR", "PK": "PKR", "LK": "LKR", "NP": "NPR", "MX": "MXN", "PH": "PHP", "CO": "COP",
    "AR": "ARS", "CL": "CLP", "CU": "CUP", "US": "USD", "ZW": "USD", "CA": "CAD", "AU": "AUD",
    "HK": "HKD", "KG": "KGS", "UZ": "UZS", "UG": "UGX", "KE": "KES", "TZ": "TZS", "SO": "SOS",
    "SA": "SAR", "QA": "QAR", "YE": "YER", "OM": "OMR", "IR": "IRR", "AE": "AED", "MA": "MAD",
    "RW": "RWF", "BI": "BIF", "CD": "CDF", "GN": "GNF", "CM": "XAF", "SN": "XOF", "ML": "XOF",
    "BF": "XOF", "NE": "XOF", "CI": "XOF", "TG": "XOF", "BJ": "XOF", "TD": "XAF", "CF": "XAF",
    "GA": "XAF", "CG": "XAF", "DJ": "DJF", "KM": "KMF", "MG": "MGA", "CH": "CHF", "BY": "BYN",
    "RU": "RUB", "KZ": "KZT", "TJ": "TJS", "TM": "TMT", "TR": "TRY", "AZ": "AZN", "GE": "GEL",
    "AM": "AMD", "VN": "VND", "CN": "CNY", "TH": "THB", "KH": "KHR", "NI": "NIO", "HN": "HNL",
    "GT": "GTQ", "ZA": "ZAR", "NG": "NGN", "ET": "ETB",
}
#: Symbols written before amounts.
CURRENCY_SYMBOLS = {"US$": "USD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "CNY", "₹": "INR",
                    "₽": "RUB", "₺": "TRY", "₸": "KZT", "₫": "VND", "₦": "NGN"}
#: Demonyms that qualify currency words ("Turkish lira", "Uzbek soums").
CURRENCY_DEMONYMS = {
    "US": "US", "American": "US", "Turkish": "TR", "Uzbek": "UZ", "Kyrgyz": "KG", "Egyptian": "EG",
    "Tunisian": "TN", "Algerian": "DZ", "Bahraini": "BH", "Jordanian": "JO", "Iraqi": "IQ",
    "Kuwaiti": "KW", "Libyan": "LY", "Sudanese": "SD", "Lebanese": "LB", "Syrian": "SY",
    "Indian": "IN", "Pakistani": "PK", "Sri Lankan": "LK", "Nepalese": "NP", "Mexican": "MX",
    "Philippine": "PH", "Colombian": "CO", "Argentine": "AR", "Cuban": "CU", "Zimbabwe": "ZW",
    "Zimbabwean": "ZW", "Canadian": "CA", "Hong Kong": "HK", "Ugandan": "UG", "Kenyan": "KE",
    "Tanzanian": "TZ", "Saudi": "SA", "Qatari": "QA", "Yemeni": "YE", "Omani": "OM",
    "Iranian": "IR", "Emirati": "AE", "UAE": "AE", "Moroccan": "MA", "Swiss": "CH",
    "Belarusian": "BY", "Russian": "RU", "Kazakh": "KZ", "Tajik": "TJ", "British": "GB",
    "Australian": "AU", "Rwandan": "RW", "Congolese": "CD", "Burundian": "BI", "Somali": "SO",
}

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "half": 0.5, "a half": 0.5,
}
MULTIPLIERS = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
               "m": 1_000_000, "bn": 1_000_000_000, "k": 1_000}

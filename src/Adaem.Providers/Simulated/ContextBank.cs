namespace Adaem.Providers.Simulated;

/// <summary>
/// One piece of specific context an explorer can bring to a general question: a country, a group, a
/// year, a law or institution, a religion, a company. <see cref="Evokes"/> lists the Schwartz values the
/// context brings into play (for other theories see <see cref="MoralFoundationsCues.FromSchwartz"/>).
/// Facts are deliberately plain, widely known statements.
/// </summary>
/// <param name="Topics">Words of general questions this context fits (cue syntax); empty for countries and groups, which fit any topic.</param>
internal sealed record ContextEntry(string Entity, string Category, string Fact, string Suffix, string[] Evokes, string[]? Topics = null)
{
    private readonly CuePattern[] _topics = (Topics ?? []).Select(t => new CuePattern(t)).ToArray();

    /// <summary>1 for a context that fits any topic; for a narrow one (a law, a firm, a faith) high when the question is on its topics, low otherwise.</summary>
    public double Fit(IReadOnlyList<string> questionWords) =>
        _topics.Length == 0 ? 1.0 : _topics.Any(t => t.CountIn(questionWords) > 0) ? 3.0 : 0.02;
}

/// <summary>The contexts the simulated explorers draw from, and the words that mark a question as specific.</summary>
internal static class ContextBank
{
    public static readonly IReadOnlyList<ContextEntry> Entries =
    [
        // Countries
        new("Japan", "country", "Japan has one of the oldest populations in the world and strong norms of social harmony.", "in Japan", ["tradition", "conformity", "security"]),
        new("Sweden", "country", "Sweden combines a large welfare state with high trust in public institutions.", "in Sweden", ["universalism", "security", "self_direction"]),
        new("United States", "country", "In the United States, individual liberty is a central theme of political debate.", "in the United States", ["self_direction", "achievement", "power"]),
        new("China", "country", "China has pursued rapid economic growth under strong central planning.", "in China", ["power", "security", "conformity", "achievement"]),
        new("India", "country", "India is the world's most populous country, with great religious and linguistic diversity.", "in India", ["tradition", "universalism", "benevolence"]),
        new("Saudi Arabia", "country", "Saudi Arabia has loosened some social restrictions since 2017 while remaining a religious monarchy.", "in Saudi Arabia", ["tradition", "conformity", "power"]),
        new("Germany", "country", "Germany's post-war constitution puts human dignity first.", "in Germany", ["universalism", "conformity", "security"]),
        new("Brazil", "country", "Brazil holds most of the world's largest rainforest and faces pressure between farming and conservation.", "in Brazil", ["universalism", "achievement", "power"]),
        new("Nigeria", "country", "Nigeria has Africa's largest population and a fast-growing young workforce.", "in Nigeria", ["achievement", "tradition", "security"]),
        new("France", "country", "France keeps religion out of public institutions under its principle of laïcité.", "in France", ["conformity", "tradition", "self_direction"]),
        new("Kenya", "country", "Kenya is known for mobile money, which brought banking to millions of people.", "in Kenya", ["achievement", "stimulation", "benevolence"]),
        new("South Korea", "country", "South Korea has one of the most competitive school systems in the world.", "in South Korea", ["achievement", "conformity", "hedonism"]),
        new("Singapore", "country", "Singapore is known for strict public order laws and very low crime.", "in Singapore", ["security", "conformity", "power"]),
        new("Netherlands", "country", "The Netherlands tolerates some practices other countries ban, such as regulated cannabis sales.", "in the Netherlands", ["self_direction", "hedonism", "universalism"]),
        new("Mexico", "country", "Mexico has faced years of violence linked to drug cartels.", "in Mexico", ["security", "power", "benevolence"]),
        new("Australia", "country", "Australia has compulsory voting in federal elections.", "in Australia", ["conformity", "self_direction", "stimulation"]),
        new("Canada", "country", "Canada admits many immigrants relative to the size of its population.", "in Canada", ["universalism", "security", "benevolence"]),
        new("United Kingdom", "country", "The United Kingdom voted to leave its European partners in a 2016 referendum.", "in the United Kingdom", ["power", "security", "self_direction"]),
        new("Norway", "country", "Norway invests its oil revenue in a large sovereign wealth fund.", "in Norway", ["universalism", "security", "achievement"]),
        new("Bhutan", "country", "Bhutan measures its progress with an index of Gross National Happiness.", "in Bhutan", ["hedonism", "tradition", "universalism"]),
        // Groups
        new("Indigenous communities", "group", "Indigenous communities often seek to keep their land and their traditional ways of life.", "for Indigenous peoples", ["tradition", "universalism", "benevolence"]),
        new("immigrant workers", "group", "Many ageing countries rely on immigrant workers in nursing and farming.", "for migrant nurses", ["universalism", "security", "benevolence"]),
        new("teenagers", "group", "Teenagers spend several hours a day on social media on average.", "for teenagers", ["hedonism", "security", "self_direction"]),
        new("retirees", "group", "Pension costs are rising as more people live into their eighties.", "for retirees", ["security", "benevolence", "achievement"]),
        new("small farmers", "group", "Small farmers face falling prices and crop losses from extreme weather.", "for small farmers", ["security", "universalism", "tradition"]),
        new("gig workers", "group", "Gig workers for delivery apps are often classed as self-employed.", "for gig workers", ["self_direction", "security", "power"]),
        new("religious minorities", "group", "Religious minorities in many countries ask for accommodation of dress and holidays.", "for Sikh and Muslim minorities", ["tradition", "universalism", "conformity"]),
        new("single parents", "group", "Single parents often struggle to combine paid work and raising children.", "for single parents", ["benevolence", "achievement", "security"]),
        new("university students", "group", "Many university students graduate with large debts.", "for university students", ["achievement", "self_direction", "hedonism"]),
        new("same-sex couples", "group", "Same-sex marriage is legal in some countries and banned in others.", "for same-sex couples", ["universalism", "tradition", "self_direction"]),
        new("military veterans", "group", "Veterans often need long-term medical and job support after service.", "for returning veterans", ["security", "benevolence", "power"]),
        // Years and events
        new("the 2008 financial crisis", "year", "The 2008 financial crisis led to bank bailouts paid for by taxpayers.", "after the 2008 financial crisis", ["security", "power", "universalism"], ["econom*", "bank*", "tax*", "billionaire*", "wage*", "inheritance", "retirement", "gambl*", "loan*", "debt*", "housing"]),
        new("the 2020 pandemic", "year", "During the 2020 pandemic many governments ordered lockdowns.", "after the 2020 lockdowns", ["security", "conformity", "self_direction"], ["health*", "vaccin*", "remote work", "school*", "public transport", "surveillance", "free speech", "social media", "homework", "universit*", "curfew*", "fast food", "alcohol"]),
        new("the 2015 refugee arrivals", "year", "In 2015 more than a million asylum seekers arrived in Europe.", "since Europe's 2015 arrivals", ["universalism", "security", "benevolence"], ["immigra*", "refugee*", "asylum", "border*", "religio*", "wage*", "military", "police", "school*", "foreign aid"]),
        new("the 2011 Fukushima accident", "year", "After the 2011 Fukushima accident, several countries decided to phase out nuclear plants.", "after the 2011 Fukushima accident", ["security", "universalism", "achievement"], ["nuclear", "energy", "climate", "plastic*", "cars", "space", "genetic*", "science"]),
        new("the 1969 Moon landing", "year", "The 1969 Moon landing showed what large public projects can reach.", "since the 1969 Moon landing", ["stimulation", "achievement", "power"], ["space", "science", "extreme sport*", "artificial intelligence", "genetic*", "nuclear", "universit*", "tax*"]),
        // Laws and institutions
        new("GDPR", "law", "The EU's General Data Protection Regulation (GDPR) has applied since 2018.", "under the EU's GDPR", ["self_direction", "security", "conformity"], ["data", "privacy", "social media", "advertis*", "surveillance", "artificial intelligence", "video game*", "online", "free speech"]),
        new("European Union", "institution", "The European Union sets common standards for a single market of 27 countries.", "across the European Union", ["conformity", "universalism", "power"], ["immigra*", "trade", "plastic*", "cars", "food", "genetic*", "animal*", "social media", "minimum wage", "tax*", "gambl*", "alcohol"]),
        new("United Nations", "institution", "The UN Sustainable Development Goals set targets for the year 2030.", "under the UN 2030 goals", ["universalism", "benevolence", "achievement"], ["poverty", "climate", "foreign aid", "immigra*", "military", "death penalty", "animal*", "universit*", "education", "public transport", "plastic*"]),
        new("Paris Agreement", "law", "The 2015 Paris Agreement aims to keep global warming well below 2 degrees.", "under the Paris Agreement", ["universalism", "security", "achievement"], ["climate", "energy", "nuclear", "cars", "plastic*", "meat", "fast food", "public transport", "space", "tax*", "remote work"]),
        new("Supreme Court", "institution", "The US Supreme Court decides cases that shape national law on civil matters.", "after US Supreme Court rulings", ["conformity", "self_direction", "tradition"], ["death penalty", "guns", "gun", "free speech", "marriage", "abortion", "euthanasia", "religio*", "police", "voting", "homeschool*", "artificial intelligence"]),
        new("World Health Organization", "institution", "The World Health Organization coordinates global responses to outbreaks.", "under WHO guidance", ["security", "universalism", "conformity"], ["health*", "vaccin*", "alcohol", "fast food", "cannabis", "euthanasia", "genetic*", "animal testing", "tobacco", "smoking"]),
        new("Olympic Games", "institution", "The Olympic Games bring global attention and large costs to host cities.", "for Olympic host cities", ["achievement", "stimulation", "power"], ["sport*", "extreme sport*", "gambl*", "genetic*", "school*", "military service", "public transport", "space", "video game*"]),
        // Religions
        new("Catholic Church", "religion", "The Catholic Church has more than a billion members worldwide.", "in Catholic countries", ["tradition", "conformity", "benevolence"], ["religio*", "marriage", "euthanasia", "abortion", "school*", "homeschool*", "genetic*", "gambl*", "death penalty", "immigra*", "universit*"]),
        new("Islamic law", "religion", "Islamic law forbids charging interest on loans and forbids gambling.", "in Muslim-majority countries", ["tradition", "conformity", "achievement"], ["bank*", "loan*", "debt*", "interest", "gambl*", "alcohol", "inheritance", "tax*", "marriage", "dress code*", "universit*", "billionaire*"]),
        new("Diwali", "religion", "Hindu celebrations such as Diwali bring millions of households together.", "during Hindu holidays like Diwali", ["tradition", "hedonism", "benevolence"], ["religio*", "fireworks", "holiday*", "gambl*", "alcohol", "plastic*", "animal*", "marriage", "tipping", "fast food"]),
        new("Buddhist monasteries", "religion", "Buddhist monastic life teaches restraint and simplicity.", "in Buddhist monasteries", ["tradition", "conformity", "universalism"], ["religio*", "animal*", "zoos", "meat", "alcohol", "euthanasia", "video game*", "social media", "death penalty", "military service"]),
        new("evangelical Christians", "religion", "Evangelical churches are growing fast across Latin America and Africa.", "for evangelical Christians", ["tradition", "power", "conformity"], ["religio*", "marriage", "abortion", "euthanasia", "cannabis", "gambl*", "alcohol", "school*", "homeschool*", "genetic*"]),
        // Companies
        new("Google", "company", "Google handles most of the world's web searches.", "at companies like Google", ["power", "achievement", "self_direction"], ["data", "privacy", "advertis*", "artificial intelligence", "social media", "surveillance", "remote work", "monopol*", "tax*", "free speech", "judges"]),
        new("TikTok", "company", "TikTok's short videos reach over a billion users.", "on apps like TikTok", ["hedonism", "stimulation", "security"], ["social media", "video game*", "advertis*", "children", "young people", "homework", "free speech", "data", "privacy", "gambl*", "fast food"]),
        new("Tesla", "company", "Tesla popularised electric cars and driver-assistance software.", "for carmakers like Tesla", ["achievement", "stimulation", "security"], ["cars", "energy", "climate", "artificial intelligence", "space", "billionaire*", "minimum wage", "public transport", "remote work"]),
        new("Amazon", "company", "Amazon runs some of the largest warehouse and delivery networks.", "at firms like Amazon", ["power", "achievement", "security"], ["minimum wage", "wage*", "tax*", "plastic*", "billionaire*", "remote work", "tipping", "monopol*", "surveillance", "retirement"]),
        new("OpenAI", "company", "OpenAI's ChatGPT reached a hundred million users within months of its 2022 launch.", "for AI firms like OpenAI", ["achievement", "stimulation", "security"], ["artificial intelligence", "judges", "homework", "universit*", "standardized tests", "data", "privacy", "free speech", "remote work", "genetic*"]),
        new("Uber", "company", "Uber connects riders with drivers who work as independent contractors.", "for platforms like Uber", ["self_direction", "security", "power"], ["minimum wage", "wage*", "tipping", "cars", "public transport", "remote work", "retirement", "alcohol", "city centres", "taxi*"]),
    ];

    /// <summary>
    /// Words and phrases that make a question specific even when they are not in <see cref="Entries"/>:
    /// places, peoples, faiths, groups, institutions and firms. Matched like cues (see <see cref="CuePattern"/>),
    /// so only words that are unambiguous in lower case; acronyms such as WHO or UN count through the
    /// proper-noun rule of <see cref="QuestionReading"/> instead.
    /// </summary>
    public static readonly IReadOnlyList<string> Markers =
    [
        // places and peoples
        "japan*", "swed*", "united states", "america*", "china", "chinese", "india*", "saudi*", "german*", "brazil*", "nigeria*", "france",
        "french", "kenya*", "korea*", "singapore*", "netherlands", "dutch", "mexic*", "australia*", "canad*", "united kingdom", "british",
        "britain", "norw*", "bhutan*", "europe*", "africa*", "asia*", "russia*", "ukrain*", "italy", "italian*", "spain", "spanish",
        "poland", "polish", "turkey", "turkish", "egypt*", "iran*", "indonesia*", "pakistan*", "bangladesh*", "vietnam*", "philippine*",
        "argentin*", "chile*", "colombia*", "peru*", "ethiopia*", "ghana*", "israel*", "switzerland", "swiss", "denmark", "danish",
        "finland", "finnish", "ireland", "irish", "scotland", "scottish", "new zealand", "california*", "texas", "london", "paris",
        "tokyo", "berlin", "amazon rainforest", "arctic", "scandinavia*", "latin america*", "middle east*",
        // faiths
        "catholic*", "protestant*", "muslim*", "islam*", "hindu*", "buddhis*", "christian*", "jewish", "judaism", "sikh*", "evangelical*",
        "mormon*", "diwali", "ramadan", "christmas",
        // groups
        "indigenous", "migrant*", "immigrant*", "refugees", "teenager*", "retiree*", "pensioner*", "farmers", "gig workers", "minorities",
        "single parents", "university students", "same sex", "lgbt*", "veteran*", "nurses",
        // laws and institutions
        "gdpr", "european union", "united nations", "nato", "imf", "world bank", "supreme court", "congress", "parliament",
        "paris agreement", "olympic*", "constitution*", "ruling*", "referendum", "brexit",
        // companies
        "google", "facebook", "amazon", "tesla", "tiktok", "uber", "openai", "chatgpt", "microsoft", "netflix", "airbnb",
        "walmart", "twitter",
    ];
}

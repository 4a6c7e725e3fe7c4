namespace Adaem.Providers.Simulated;

/// <summary>
/// Cue words and phrase banks for Schwartz's ten basic values. Cue lists are disjoint between values
/// and every phrase carries cues of its own value only (tests check both). Topic words ("gambl*",
/// "immigra*") are cues too: they make a question evoke a value without naming it.
/// </summary>
internal static class SchwartzCues
{
    public static readonly IReadOnlyList<ValueCues> All =
    [
        new()
        {
            Code = "self_direction", Name = "Self-Direction", Lean = -1,
            Cues = ["freedom", "free to", "autonom*", "independen*", "choice*", "choose*", "choosing", "creativ*", "curious", "curiosity",
                    "liberty", "liberties", "privacy", "self determination", "decide for themselves", "own path", "think for themselves",
                    "own mind", "euthanasia", "abortion", "homeschool*", "free speech"],
            Points = ["Personal freedom should come first", "Adults can decide for themselves", "It respects individual autonomy{ref}",
                      "Independent thinking is at stake", "People deserve a real choice{ref}", "Creativity needs room to grow"],
            Justifications = ["each person should be free to choose their own path", "imposing one answer{ref} leaves no space for individual liberty",
                              "people who think for themselves make better decisions than any central plan", "it keeps people's privacy out of official hands",
                              "curiosity and creativity flourish only where people can experiment", "self-determination is the basis of a dignified life"],
            Clauses = ["even if it limits personal freedom", "even at the cost of individual choice"],
        },
        new()
        {
            Code = "stimulation", Name = "Stimulation", Lean = -1,
            Cues = ["excit*", "thrill*", "adventur*", "novelty", "variety", "daring", "boredom", "bored", "dull", "new experiences",
                    "challeng*", "extreme sport*", "space tourism", "adrenaline"],
            Points = ["Life needs excitement and novelty", "It opens the door to new experiences", "A bit of daring keeps society lively",
                      "Variety beats a dull routine", "People thrive on a challenge", "It brings adventure{ref}"],
            Justifications = ["without something thrilling to aim for, people grow bored", "trying unfamiliar things brings variety to life",
                              "the excitement of the unknown drives people to try", "a challenging path keeps minds sharp",
                              "novelty{ref} would shake up a stale routine", "a daring step beats standing still"],
            Clauses = ["even if it makes life less exciting", "even if it discourages adventure"],
        },
        new()
        {
            Code = "hedonism", Name = "Hedonism", Lean = -1,
            Cues = ["pleasur*", "enjoy*", "fun", "gratif*", "indulg*", "leisure", "delight*", "entertain*", "treat themselves", "good time",
                    "savour*", "savor*", "gambl*", "alcohol", "cannabis", "video game*", "junk food", "nightlife", "recreational"],
            Points = ["People should be able to enjoy life", "Pleasure is a legitimate goal", "It makes everyday life more fun",
                      "Leisure matters as much as work", "It lets people treat themselves", "Small delights{ref} make life worth living"],
            Justifications = ["a good time now and then is part of a balanced life", "denying people simple pleasures{ref} makes life joyless",
                              "enjoyment is not a vice but a source of contentment", "people work better when they have time for fun",
                              "gratification of ordinary wishes is nothing to be ashamed of", "life is short and should be savoured"],
            Clauses = ["even if it curbs people's enjoyment", "even at the expense of leisure"],
        },
        new()
        {
            Code = "achievement", Name = "Achievement", Lean = 0,
            Cues = ["success*", "ambitio*", "competen*", "merit*", "excel*", "achiev*", "accomplish*", "productiv*", "skill*", "career*",
                    "talent*", "hard work", "performance", "exam*", "grades", "competiti*", "compete", "homework", "entrepreneur*"],
            Points = ["Success should be earned through merit", "It rewards hard work", "Competence deserves recognition",
                      "It drives ambition{ref}", "Excellence raises the bar", "People should be able to achieve their goals"],
            Justifications = ["skilled and productive people push the economy forward", "a system that recognises achievement motivates people to strive",
                              "careers{ref} are built on talent and effort", "ambitious people need goals worth striving for",
                              "without measurable accomplishment, effort goes unrewarded", "competitive standards bring out the best in people"],
            Clauses = ["even if it holds back ambitious people", "even if it slows career success"],
        },
        new()
        {
            Code = "power", Name = "Power", Lean = 0,
            Cues = ["power", "powers", "powerful", "control*", "dominan*", "dominat*", "status", "prestig*", "wealth*", "influence",
                    "influential", "elite*", "leverage", "authority", "command", "rich", "billionaire*", "monopol*", "military", "lobby*"],
            Points = ["It keeps control in capable hands", "Status and prestige matter{ref}", "Strong leadership needs real power",
                      "It strengthens the country's influence", "Wealth brings the means to shape events", "Someone must hold authority{ref}"],
            Justifications = ["those with resources and power set the terms for the rest", "a nation that gives up dominance loses its say in world affairs",
                              "prestige attracts investment and respect", "clear command of resources avoids drift",
                              "elites with leverage{ref} get things done", "control over key assets is a matter of national strength"],
            Clauses = ["even if it weakens national influence", "even if the wealthy lose control"],
        },
        new()
        {
            Code = "security", Name = "Security", Lean = 1, Shared = 1.0,
            Cues = ["safe", "safety", "safer", "secur*", "stabil*", "stable", "law and order", "public order", "social order", "crime*",
                    "criminal*", "danger*", "threat*", "protect*", "defen*", "police", "harm*", "risk*", "health", "healthy",
                    "surveillance", "gun", "guns", "vaccin*", "border*", "terror*", "nuclear"],
            Points = ["Public safety has to come first", "It protects stability{ref}", "Society needs law and order",
                      "The risks are too great to ignore", "People need to feel secure", "It guards against crime and disorder"],
            Justifications = ["a stable society is the precondition for everything else", "unchecked threats{ref} could endanger ordinary people",
                              "health and safety must not be put on the line", "strong defence against danger keeps citizens calm",
                              "predictable public order prevents chaos", "protecting people from harm is the first job of any government"],
            Clauses = ["even if it puts public safety at risk", "even if it threatens stability"],
        },
        new()
        {
            Code = "tradition", Name = "Tradition", Lean = 1,
            Cues = ["tradition*", "custom", "customs", "customary", "heritage", "religio*", "faith*", "ancest*", "ritual*", "sacred",
                    "time honoured", "time honored", "elders", "god", "worship*", "spiritual*", "modesty", "humble", "humility",
                    "old ways", "church*", "mosque*", "marriage", "prayer*", "sabbath", "monarch*"],
            Points = ["Time-honoured customs deserve respect", "It should honour our heritage", "Religious teaching offers guidance here",
                      "Tradition carries lessons from past generations", "Faith communities have a stake{ref}", "Our ancestors' ways still matter"],
            Justifications = ["customs passed down over generations hold a culture together", "abandoning tradition{ref} would cut people off from their roots",
                              "religious and spiritual life gives people meaning", "the old ways have stood the test of time",
                              "rituals and sacred practices should not be swept aside lightly", "humility before inherited beliefs guards against arrogance"],
            Clauses = ["even if it breaks with religious tradition", "even against long-held customs"],
        },
        new()
        {
            Code = "conformity", Name = "Conformity", Lean = 1,
            Cues = ["rule", "rules", "obey*", "obedien*", "norm", "norms", "comply", "complies", "compliance", "disciplin*", "polite*",
                    "manners", "duty", "duties", "proper", "properly", "restrain*", "law abiding", "etiquette", "expectations", "fit in",
                    "social convention*", "dress code*", "uniform", "uniforms", "curfew*", "swearing", "profanity", "mandatory", "compulsory"],
            Points = ["Rules exist for good reason", "People should meet social expectations", "It calls for self-restraint{ref}",
                      "Good manners keep public life civil", "Citizens have a duty to comply", "Members of society should follow the norms"],
            Justifications = ["obedience to agreed rules prevents needless conflict", "proper conduct{ref} avoids upsetting others",
                              "disciplined behaviour makes shared spaces work", "breaking norms lightly invites resentment",
                              "law-abiding citizens make the system function", "politeness and restraint keep tempers from flaring"],
            Clauses = ["even if it breaks social norms", "even if it means defying the rules"],
        },
        new()
        {
            Code = "benevolence", Name = "Benevolence", Lean = 0, Shared = 0.7,
            Cues = ["family", "families", "friend*", "caring", "kindness", "neighbo*", "loved ones", "loyal*", "forgiv*", "honest*", "help*",
                    "look after", "looking after", "colleague*", "care for", "generous", "generosity", "childcare", "parental leave",
                    "volunteer*", "charity", "charities", "caregiver*"],
            Points = ["Families come first", "It helps the people closest to us", "Kindness toward neighbours matters",
                      "We should look after our loved ones", "Loyal friends and colleagues should be supported", "Caring for others{ref} is what counts"],
            Justifications = ["what matters most is how it affects family and friends", "honest dealings build trust within a community",
                              "generosity toward those around us strengthens bonds", "people should forgive and support each other",
                              "a caring community{ref} notices when someone struggles", "helping those we know is simply decent"],
            Clauses = ["even if it strains families", "even at a cost to loved ones"],
        },
        new()
        {
            Code = "universalism", Name = "Universalism", Lean = 0, Shared = 0.7,
            Cues = ["equal*", "justice", "fair", "fairly", "fairness", "toleran*", "environment*", "nature", "climate", "planet", "humanity",
                    "human rights", "diversity", "inclusi*", "peace*", "pollut*", "sustainab*", "discriminat*", "everyone", "all people",
                    "wisdom", "open minded", "broad minded", "immigra*", "refugee*", "asylum", "foreign aid", "carbon", "emission*",
                    "deforest*", "animal*", "poverty", "welfare"],
            Points = ["Everyone deserves equal treatment", "It must respect human rights", "The environment has to be considered",
                      "Justice should apply to all people", "Tolerance{ref} benefits society", "We owe it to the planet"],
            Justifications = ["fairness to minorities and outsiders is a test of a decent society", "the climate and nature cannot speak for themselves",
                              "humanity shares one world and its burdens", "discrimination{ref} undermines equality",
                              "peace depends on understanding across differences", "sustainable policies serve future generations"],
            Clauses = ["even at a cost to the environment", "even if it undermines equal treatment"],
        },
    ];
}

"""Word lists that tell topic extraction what is *not* a topic (English).

These are closed-class and generic vocabularies, not a gazetteer: no list here names a
person, organisation or place. They exist because frequency is not topicality — the
seed page's nav showed "trump police trumps death woman reveals star city people home",
and every word after the name is one of the kinds listed below.

All entries are lower case; callers compare lower-cased tokens or lemmas.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words: never a topic, and never the edge of a phrase.
STOPWORDS: frozenset[str] = _words(
    """
    a an the and or but nor so yet if then than as of at by for from in into on onto
    off out over under up down to with without within about above after again against
    all also am any are aren't around be because been before being below between both
    can could did do does doing done during each either else ever every few further had
    has have having he her here hers herself him himself his how however i i'm i've
    it it's its itself just least less like many may me might more most much must my
    myself neither no not now of once only other others our ours ourselves own per
    same several shall she should since some such that that's their theirs them
    themselves these they this those though through thus till too toward towards
    until upon us very via was we were what when where whether which while who whom
    whose why will would you your yours yourself yourselves there there's let let's
    one two three four five six seven eight nine ten hundred thousand million billion
    trillion dozen dozens hundreds thousands millions billions half
    amid among amongst despite near next onto unlike versus vs inside outside behind
    beyond why how
    mr mrs ms dr st
    """
)

# Headline-speak: verbs and fillers headlines are built from. In lemma form.
HEADLINE_SPEAK: frozenset[str] = _words(
    """
    reveal reveals revealed slam slams blast blasts hit hits hail hails vow vows
    urge urges warn warns claim claims say says said tell tells told speak speaks
    admit admits deny denies insist insists spark sparks fuel fuels rock rocks
    shock shocks shocked stun stuns stunning stunned horror horrified heartbreak
    heartbreaking tragic tragedy emotional bombshell exclusive breaking latest update
    live watch video photo photos pictures picture gallery opinion analysis explainer
    review quiz podcast newsletter read see look looks show shows showed shown
    share shares shared post posts posted react reacts reaction respond responds
    break breaks open opens close closes leave leaves quit quits join joins set sets
    face faces back backs ban bans cut cuts rise rises fall falls soar soars
    plunge plunges surge surges jump jumps drop drops fear fears hope hopes
    call calls ask asks answer answers want wants need needs make makes made take
    takes took get gets got give gives gave go goes went come comes came find finds
    found keep keeps kept put puts run runs win wins won lose loses lost beat beats
    meet meets met visit visits announce announces announced confirm confirms
    launch launches unveil unveils plan plans planned move moves moved bid bids
    try tries tried seek seeks sought push pushes pull pulls turn turns begin begins
    start starts end ends stop stops continue continues report reports reported
    expect expects expected believe believes think thinks know knows known
    accuse accuses accused charge charges charged arrest arrests arrested
    die dies died kill kills killed injure injures injured attack attacks attacked
    help helps save saves saved return returns returned send sends sent
    become becomes became remain remains seem seems appear appears
    could would should must might may will can cannot
    amazing incredible huge big biggest major massive key top best worst
    new newest old first last final next former ex latest recent early late
    good bad great little small large high low long short full free real
    true false sure clear right wrong young older oldest youngest
    official officially reportedly allegedly finally really never always still
    already even only just more most less least very much many
    today tonight tomorrow yesterday week weekend weekly month monthly year yearly
    annual daily hour hours minute minutes day days night nights morning evening
    ago now soon later time times moment decade decades century centuries
    second third fourth fifth sixth seventh eighth ninth tenth quarter tough hard
    hold holds raid raids probe probes grip grips spread spreads batter batters
    sweep sweeps slash slashes hike hikes boost boosts hand hands sign signs
    greet greets target targets block blocks approve approves reject rejects
    scrap scraps axe axes defend defends criticise criticises condemn condemns
    welcome welcomes order orders agree agrees lead leads mark marks celebrate
    celebrates mourn mourns pay pays pays tribute tributes reach reaches
    """
)

# Generic nouns: real nouns, but never a topic on their own ("police" alone is not a
# topic; "Metropolitan Police" is).
GENERIC_NOUNS: frozenset[str] = _words(
    """
    people person persons man men woman women boy boys girl girls child children kid
    kids baby babies teen teens teenager teenagers mum mother dad father son daughter
    wife husband family families friend friends fan fans couple parent parents
    star stars celebrity celebrities actor actress singer player players boss bosses
    chief chiefs leader leaders official officials expert experts doctor doctors
    minister ministers president presidents government governments administration
    state states country countries nation nations world city cities town towns
    village villages home homes house houses street streets area areas region
    death deaths dead life lives body bodies health police cop cops officer officers
    court judge jury case cases trial law laws rule rules report reports news story
    stories thing things way ways part parts place places point points group groups
    company companies firm firms business businesses market markets money price
    prices cost costs deal deals plan plans bill bills vote votes issue issues
    problem problems question questions change changes fact facts game games show
    shows film films movie movies book books song songs music tv television radio
    series season episode episodes team teams club clubs school schools hospital
    hospitals service services work job jobs worker workers staff member members
    user users customer customers resident residents public community communities
    video photo photos picture pictures image images post posts statement statements
    interview interviews comment comments message messages letter letters
    crisis attack attacks incident incidents accident accidents crash crashes
    fire fires water food car cars road roads train trains plane planes flight
    flights ship ship's boat boats
    secret secrets truth rumour rumours mystery drama row rows feud scandal
    result results number numbers figure figures data record records rate rates
    percent level levels side sides end start top bottom centre center
    capital port ports gate gates sources source album albums tour tours night
    event events week weeks
    """
)

# Words that are generic alone but name an organisation when joined to a name:
# "Metropolitan Police", "Bank of England", "Labour Party".
ORGANISATION_WORDS: frozenset[str] = _words(
    """
    party council police bank university college school hospital inc ltd plc corp
    corporation company co group ministry department agency commission committee
    congress parliament senate assembly court union association federation league
    institute service services club fc united foundation trust authority board
    office bureau network airlines airways motors industries holdings church
    army navy force forces guard society press times post news herald journal
    reserve fund forum alliance coalition movement front organisation organization
    nations commission rovers athletic wanderers rangers albion hotspur
    """
)

# Words that make a capitalised sequence a place: "Mexico City", "Orkney Islands".
PLACE_WORDS: frozenset[str] = _words(
    """
    city county island islands isle river lake sea ocean mountain mountains mount
    valley bay coast beach street road avenue square bridge province state republic
    kingdom district region peninsula strait gulf desert forest park airport station
    harbour harbor canal heights village town borough
    """
)

# Words that make a capitalised sequence an event: "Paris Olympics", "Storm Ciara".
EVENT_WORDS: frozenset[str] = _words(
    """
    election elections olympics olympic games cup championship championships summit
    festival war storm hurricane typhoon cyclone conference awards award referendum
    marathon tournament grand prix expo fair final finals open tour protest protests
    strike strikes earthquake wildfire wildfires floods flood scandal inquiry trial
    """
)

# Last parts of a hyphenated word that describes the name after it, not part of it:
# "Charlotte-based Chiquita", "Pizza-maker Sbarro", "Kremlin-backed group".
DESCRIPTOR_ENDINGS: frozenset[str] = _words(
    """
    based born bred led backed owned run funded linked made maker makers make
    style styled type bound hit struck hating loving friendly era
    """
)

# Adjectives that begin names of places and institutions ("Great Barrier Reef",
# "Royal Mail"): a headline's first word among these stays part of the name.
NAME_ADJECTIVES: frozenset[str] = _words(
    """
    great grand united royal north south east west northern southern eastern
    western central upper lower new old saint holy little high low red white black
    """
)

# Titles before a name; they say "person" and are dropped from the name.
HONORIFICS: frozenset[str] = _words(
    """
    president vice prime minister chancellor secretary senator sen rep representative
    governor gov mayor judge justice chief general gen colonel col captain capt
    sergeant sgt officer detective inspector constable commissioner ambassador
    professor prof dr doctor mr mrs ms miss sir dame lord lady rev reverend father
    pope bishop archbishop cardinal coach manager boss ceo chairman chairwoman chair
    founder star actor actress singer rapper footballer striker midfielder goalkeeper
    defender boxer champion presenter host comedian model mp mep congressman
    congresswoman councillor deputy leader speaker spokesman spokeswoman spokesperson
    """
)

# Words allowed *inside* a capitalised name: "Bank of England", "Charles de Gaulle".
NAME_CONNECTORS: frozenset[str] = _words(
    "of for de del della di da van von der den la le al bin el du y &"
)

# Prepositions after which a lone capitalised word is most likely a place.
LOCATIVE_PREPOSITIONS: frozenset[str] = _words(
    "in at from near across into outside inside around across throughout"
)

# Verbs after which a lone capitalised word is most likely a person ("Trump said").
SPEECH_VERBS: frozenset[str] = _words(
    "said says told tells added wrote warned insisted claimed denied admitted"
)

# Capitalised by convention, never topics: calendar words and nationalities.
CALENDAR_WORDS: frozenset[str] = _words(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march
    april may june july august september october november december christmas easter
    jan feb mar apr jun jul aug sep sept oct nov dec
    """
)
DEMONYMS: frozenset[str] = _words(
    """
    american americans british briton britons english scottish welsh irish european
    europeans french german germans italian italians spanish portuguese dutch
    belgian swiss austrian polish czech hungarian greek turkish russian russians
    ukrainian ukrainians chinese japanese korean indian pakistani iranian iraqi
    israeli israelis palestinian palestinians syrian lebanese saudi egyptian
    african africans nigerian kenyan australian canadian mexican brazilian
    argentine argentinian asian western eastern northern southern
    democrat democrats republican republicans conservative conservatives
    liberal liberals muslim muslims christian christians jewish
    catholic catholics
    """
)

# Acronyms that are generic rather than names.
GENERIC_ACRONYMS: frozenset[str] = _words(
    "tv ceo cfo pm mp mep ok gp ap am fm pr id ad bc vip diy faq"
)

# Everything a lone word must not be to become a topic (a bare "storm" or "election"
# is not a topic; "Storm Ciara" is).
NEVER_A_TOPIC: frozenset[str] = (
    STOPWORDS
    | HEADLINE_SPEAK
    | GENERIC_NOUNS
    | ORGANISATION_WORDS
    | PLACE_WORDS
    | HONORIFICS
    | (EVENT_WORDS - {"olympics"})
    | CALENDAR_WORDS
    | DEMONYMS
    | GENERIC_ACRONYMS
)

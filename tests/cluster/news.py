"""Our own short news texts for the story-clustering tests.

Expectations (what the tests check):
- FLOOD_* are three reports of one event (the Meuse flood in Dinant) in different
  words and from different publishers: they must end in one story.
- FESTIVAL_DINANT happens in the same town in the same week but is a different
  event (a jazz festival): the near miss that must start its own story.
- BACKGROUND are unrelated articles that give the streaming IDF something to learn
  from; each is its own story.
"""

from __future__ import annotations

FLOOD_1 = (
    "Meuse floods force hundreds from their homes in Dinant",
    "Flood water rose overnight along the Meuse in Dinant, forcing the evacuation "
    "of about four hundred residents from the lower town. Governor Denis Mathen said "
    "the river had reached its highest level since 1995 and would crest on Thursday. "
    "Firefighters used boats to reach elderly residents who had stayed in their "
    "homes. Trains between Namur and Dinant were suspended after water covered the "
    "tracks, and schools in the lower town will stay closed until Monday.",
)
FLOOD_2 = (
    "Dinant evacuates lower town as Meuse bursts its banks",
    "Around 400 people were evacuated in Dinant on Wednesday night after the Meuse "
    "burst its banks. Rescue crews in boats went door to door in the flooded "
    "streets of the lower town, where the water stood a metre deep. Rail traffic "
    "between Dinant and Namur was halted. Governor Mathen warned the flood would "
    "peak on Thursday, the worst since 1995.",
)
FLOOD_3 = (
    "Belgian army sent to flooded Dinant",
    "Soldiers joined firefighters in Dinant on Thursday as the Meuse flood reached "
    "its crest. The army sent forty soldiers and boats to help evacuate residents "
    "of the lower town, where hundreds have left their homes. Schools stay closed "
    "and trains to Namur are still suspended while the flood water slowly recedes.",
)
FESTIVAL_DINANT = (
    "Dinant jazz festival opens with record crowd",
    "The Dinant jazz festival opened on Friday with a record crowd of twelve "
    "thousand visitors on the citadel square. Saxophonist Lena Kowalski headlined "
    "the first night with a quartet from Warsaw, and organisers sold out the "
    "weekend passes. The festival, founded in 2004, runs until Sunday with forty "
    "concerts in cafes, churches and on a stage by the Meuse.",
)
BACKGROUND = [
    (
        "Central bank holds interest rates as inflation cools",
        "The central bank kept its main interest rate at four percent on Tuesday, "
        "saying inflation had cooled for a third month. Governor Alma Reyes said "
        "further cuts would depend on wages and energy prices. Markets had expected "
        "the decision and the currency barely moved.",
    ),
    (
        "Striker Okafor signs four-year contract with Porto",
        "Nigerian striker Samuel Okafor has signed a four-year contract with Porto "
        "for a fee of eighteen million euros. The 23-year-old scored 21 league goals "
        "last season. Porto's coach said Okafor would make his debut in the cup "
        "match against Braga on Saturday.",
    ),
    (
        "Volcano on Tenerife shows new signs of unrest",
        "Seismologists recorded more than two hundred small earthquakes under Mount "
        "Teide on Tenerife this week, the strongest swarm in a decade. Authorities "
        "raised the alert level to yellow but said an eruption was not imminent. "
        "Hiking trails near the crater were closed as a precaution.",
    ),
    (
        "Chipmaker Veltrix unveils faster laptop processor",
        "Veltrix unveiled a laptop processor on Monday that it says is thirty "
        "percent faster than its predecessor while using less power. The chip will "
        "ship in notebooks from three manufacturers in the autumn. Analysts said the "
        "launch puts pressure on rivals ahead of the holiday season.",
    ),
    (
        "Parliament passes pension reform after all-night debate",
        "Lawmakers approved the pension reform early on Wednesday after an "
        "all-night debate, raising the retirement age to 65 by 2032. Unions called "
        "a general strike for next week. The labour minister said the reform would "
        "keep the pension fund solvent for two decades.",
    ),
    (
        "Museum returns looted bronze statues to Benin",
        "A museum in Hamburg returned twenty bronze statues to Benin on Friday, more "
        "than a century after they were taken by colonial troops. The culture "
        "minister handed over the works in a ceremony in Cotonou. Several other "
        "European museums are negotiating similar returns.",
    ),
    (
        "Heatwave breaks June records across southern Spain",
        "Temperatures reached 44 degrees in Seville on Sunday, breaking the June "
        "record set in 2017. Regional authorities opened cooling centres and "
        "restricted outdoor work in the afternoon. Forecasters expect the heat to "
        "last until the weekend.",
    ),
    (
        "Airline cancels flights as pilots strike over pay",
        "Northjet cancelled two hundred flights on Thursday as pilots walked out in "
        "a dispute over pay. The union said talks had collapsed after the airline "
        "offered a three percent raise. Stranded passengers queued at Oslo airport "
        "to rebook their journeys.",
    ),
]

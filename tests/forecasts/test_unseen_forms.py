"""Forms of judgment, and look-alikes that are none, found when detection was measured on
unseen news, analysis and forecasters' writing (docs/estimative-language.md, "Measured on
unseen text"). Every sentence here is written for the test; each expectation is what its
words say."""

from __future__ import annotations

import pytest

from forecasts.detect import scan
from forecasts.furniture import find_furniture
from forecasts.stated import STATED


def found(text: str) -> list[tuple[str, str, bool]]:
    return [(d.phrase, d.reading.term, d.negated) for d in scan(text, find_furniture(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # expectations said with other verbs, and by whom they are held
        (
            "Analysts predicted that the bank would cut rates.",
            [("predicted", "likely", False)],
        ),
        ("One forecast a cut of half a point.", [("forecast", "likely", False)]),
        ("The storm is forecast to strengthen.", [("forecast", "likely", False)]),
        ("Pollsters predict a runoff.", [("predict", "likely", False)]),
        ("Most economists foresee a slowdown.", [("foresee", "likely", False)]),
        ("We believe the talks will fail.", [("We believe", "likely", False)]),
        ("I don't think the talks will resume.", [("think", "unlikely", True)]),
        ("Presser believes Kennedy will side with the majority.", [("believes", "likely", False)]),
        ("She was confident the bill would pass.", [("confident", "likely", False)]),
        ("I'd bet the House passes it.", [("I'd bet", "likely", False)]),
        (
            "The company expressed confidence that the merger would clear.",
            [("expressed confidence that", "likely", False)],
        ),
        (
            "Prices rose on expectations that supply will tighten.",
            [("expectations that", "likely", False)],
        ),
        (
            "Investors are cautiously optimistic that a deal is near.",
            [("cautiously optimistic that", "likely", False)],
        ),
        (
            "Traders are pessimistic that the cut will come.",
            [("pessimistic that", "unlikely", False)],
        ),
        # standing and doubt
        ("He was favored to win the primary.", [("favored to", "likely", False)]),
        (
            "She is the clear favourite to succeed him.",
            [("the clear favourite to", "likely", False)],
        ),
        ("The liberal justices are locks to uphold it.", [("are locks to", "very likely", False)]),
        ("The runoff is in doubt.", [("in doubt", "unlikely", False)]),
        (
            "Exit polls cast doubt on whether a runoff will be needed.",
            [("cast doubt on whether", "unlikely", False)],
        ),
        ("A second round seems doubtful.", [("seems doubtful", "unlikely", False)]),
        (
            "Investors were not so sure that the deal would close.",
            [("not so sure that", "unlikely", False)],
        ),
        (
            "We cannot yet rule out a landfall on the coast.",
            [("cannot yet rule out", "unlikely", False)],
        ),
        # how good the chances are
        (
            "The prospects are not promising.",
            [("The prospects are not promising", "unlikely", False)],
        ),
        ("Prospects look good for a deal.", [("Prospects look good", "likely", False)]),
        ("They have a good chance of winning.", [("a good chance", "likely", False)]),
        ("There is a fair chance of rain.", [("a fair chance", "roughly even chance", False)]),
        ("The likeliest outcome is a delay.", [("The likeliest outcome", "likely", False)]),
        (
            "A cut next week is our baseline expectation.",
            [("our baseline expectation", "likely", False)],
        ),
        (
            "The risk of a default is low.",
            [("The risk of a default is low", "very unlikely", False)],
        ),
        # expected without "to"
        ("A ruling is expected in June.", [("is expected", "likely", False)]),
        ("They await a decision expected early next week.", [("expected", "likely", False)]),
        ("She faces an expected runoff.", [("an expected", "likely", False)]),
        # a phrase opening a part of its own inside another's event
        (
            "It is forecast to bring rain to the coast and possibly the capital.",
            [("forecast", "likely", False), ("possibly", "roughly even chance", False)],
        ),
        # a frame gives way to the judgment inside it
        ("I think a deal is unlikely.", [("unlikely", "unlikely", False)]),
        (
            "Analysts expect a 30% chance of a cut.",
            [("a 30% chance", "30%", False)],
        ),
        # a modal in a headline's title case
        ("Neves May Make Runoff", [("May", "roughly even chance", False)]),
        # a relative clause is a possibility judged
        ("He is a candidate who could win.", [("could", "roughly even chance", False)]),
    ],
)
def test_a_form_met_in_unseen_text_is_read(text: str, expected: list) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a thing described, not an event judged
        "The deal hinges on an unlikely alliance.",
        "Even after this potential adjustment, rates stay high.",
        "It is only days to a potentially catastrophic default.",
        # what someone could or could not do
        "Officials said they could not guarantee an agreement.",
        "The members met but could reach no agreement.",
        # a judgment declined, compared or recalled
        "The track was very difficult for forecasters to predict.",
        "It is hard to predict where the virus goes.",
        "Inflation fell faster than predicted.",
        "The odds are higher than the consensus expects.",
        "The arsenal is larger than generally believed.",
        "Prices were ten dollars above forecast February levels.",
        "The median forecast of analysts was 4.5 percent.",
        "Two analysts correctly predicted the last test.",
        "We used to think the bid was higher.",
        "Clouds don't care what you think.",
        "Nobody is certain about who could win.",
        # a topic, not a judgment
        "Ministers met to discuss the possibility of a ground intervention.",
        "Residents should prepare for the possibility of flooding.",
        "The survey asked for thoughts on the likelihood of each vote.",
        # a hedged count
        "It was the first time in probably a couple of years.",
        # words spoken of, not used
        'Terms such as "likely" and "probably" convey judgments.',
        'It uses "probably" and "likely" for more than even odds.',
        # the month
        "The talks resume in May.",
    ],
)
def test_a_look_alike_met_in_unseen_text_is_not_a_judgment(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "phrase", "point"),
    [
        ('He puts the odds of a deal at "2-1."', 'odds of a deal at "2-1', 2 / 3),
        ("There is still a 2-1 chance of a deal.", "a 2-1 chance", 2 / 3),
        ("The odds of a merger are therefore something like 40%.", None, 0.4),
        # a forecaster's list: the number at the end of a statement of what will be
        ("China's growth will be slower than in the 2010s (60%)", "60%", 0.6),
        ("Clinton will be the Democratic nominee: 90%", "90%", 0.9),
    ],
)
def test_numbers_met_in_unseen_text_are_read_exactly(text: str, phrase, point: float) -> None:
    detections = scan(text)
    assert len(detections) == 1, [(d.phrase, d.reading.term) for d in detections]
    (detection,) = detections
    assert detection.reading.scale == STATED
    assert detection.reading.probability == pytest.approx(point, abs=1e-12)
    if phrase is not None:
        assert detection.phrase == phrase


@pytest.mark.parametrize(
    "text",
    [
        "Turnout: 60%",  # a figure, not a forecast
        "Santos won the first round (32%)",
        "The score was 2-1.",
    ],
)
def test_a_figure_at_the_end_of_a_line_is_not_a_probability(text: str) -> None:
    assert scan(text) == []


@pytest.mark.parametrize(
    "line",
    [
        "MORE: Colombia 2014 election polls",
        "Related: Travel ban woes",
        "See Also: Live notes from the conference",
        "Follow us @",
        "Follow us on our social media platforms here: Twitter  FACEBOOK PAGE",
        "No comments:",
        "Post a Comment",
        "Comments are closed, but trackbacks and pingbacks are open.",
        "Note: Only a member of this blog may post a comment.",
        "4 comments on “Bookies reckon Slav’s as safe as houses”",
    ],
)
def test_link_and_comment_lines_are_furniture(line: str) -> None:
    text = f"A second round is likely.\n{line}\nA runoff is likely too."
    spans = find_furniture(text)
    start = text.index(line)
    assert [(s.start, s.end) for s in spans] == [(start, start + len(line))]


def test_a_judgment_in_a_related_link_is_not_detected() -> None:
    text = "MORE: 2nd round of election likely as Santos loses ground\nA runoff is likely."
    assert [d.sentence for d in scan(text, find_furniture(text))] == ["A runoff is likely."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She expected the outbreak to worsen.", [("expected", "likely", False)]),
        (
            "I would be very surprised if the bill passed.",
            [("would be very surprised if", "unlikely", False)],
        ),
        ("I wouldn't be surprised if it passed.", [("wouldn't be surprised if", "likely", False)]),
        ("I wouldn't count on a deal this week.", [("wouldn't count on", "unlikely", False)]),
        ("The consensus is that he wins.", [("The consensus is that", "likely", False)]),
        ("The test site is on the verge of a detonation.", [("on the verge of", "likely", False)]),
        ("The Tories are on track for a majority.", [("on track for", "likely", False)]),
        ("We think the odds favor a June hike.", [("the odds favor", "likely", False)]),
        ("I have no doubt the deal will close.", [("have no doubt", "very likely", False)]),
        ("Our view is that the deal will close.", [("Our view is that", "likely", False)]),
        (
            "AT&T downplayed the possibility of a delay that could hurt it.",
            [("downplayed the possibility of", "unlikely", False)],
        ),
        (
            "It is possible that the FCC could approve it.",
            [("possible that", "roughly even chance", False)],
        ),
        ("The Fed would not rule out a hike.", [("would not rule out", "unlikely", False)]),
        ("Investors are hopeful that a deal is near.", [("hopeful that", "likely", False)]),
        (
            "A strong possibility of a hike is priced in.",
            [("A strong possibility", "likely", False)],
        ),
        (
            "An elevated probability of El Nino worries farmers.",
            [("An elevated probability of", "likely", False)],
        ),
        ("Officials said a hike was inevitable.", [("inevitable", "almost certain", False)]),
        (
            "A deal tonight is logistically impossible.",
            [("is logistically impossible", "almost no chance", False)],
        ),
        ("The race is too close to call.", [("too close to call", "roughly even chance", False)]),
        ("My guess is that the games will be cancelled.", [("My guess is that", "likely", False)]),
        ("She is the clear favorite.", [("the clear favorite", "likely", False)]),
        ("This category is a lock.", [("is a lock", "very likely", False)]),
        ("Obama voiced optimism about a deal.", [("voiced optimism about", "likely", False)]),
        (
            "The arsenal is perhaps larger than thought.",
            [("perhaps", "roughly even chance", False)],
        ),
    ],
)
def test_a_later_form_met_in_unseen_text_is_read(text: str, expected: list) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I believe him.",
        "Officials want investors to believe that every meeting matters.",
        "I predict:",
        "He is possibly the most despised president in history.",
        "She has won every possible award.",
        "It is not clear whether the talks could resume.",
        "Investigators are studying possible cases.",
        "We're not reliably able to predict where this will go.",
        "I have reconsidered what I think.",
        "There was a shift in expectations for future interest rates.",
        "Whether he is still optimistic, nobody knows.",
        "China's growth will slow next year, says a state think tank.",
    ],
)
def test_a_later_look_alike_is_not_a_judgment(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "point"),
    [
        ("There's a 20-percent chance weather could scrub the launch.", 0.2),
        (
            "The probability that the Fed will make a third 75-basis-point hike has jumped to 82%.",
            0.82,
        ),
        ("The forecaster raised its forecast for the chance of El Nino to 70 percent.", 0.7),
        ("Traders put a probability of greater than 60% on a hike.", 0.6),
        ("I became concerned enough to raise my estimate of a recession to 50%.", 0.5),
        ("Biden will win the nomination, because he leads. (60%)", 0.6),
        ("The Republicans will push the narrative hard. (70%, conditional on him winning)", 0.7),
    ],
)
def test_a_later_number_is_read_once_and_exactly(text: str, point: float) -> None:
    detections = scan(text)
    assert [(d.reading.scale, d.reading.probability) for d in detections] == [
        (STATED, pytest.approx(point, abs=1e-12))
    ]


@pytest.mark.parametrize(
    ("text", "attributions"),
    [
        ('"A deal is unlikely," said Victor Cha.', [("unlikely", "Victor Cha")]),
        ('"A deal is unlikely," said one strategist.', [("unlikely", "one strategist")]),
        (
            "Economists continue to see a fairly small chance of an invasion.",
            [("small chance", "Economists")],
        ),
        ("The market sees a one-in-three chance of a hike.", [("a one-in-three chance", "market")]),
        (
            "The agency downplayed the likelihood of a strong El Nino.",
            [("downplayed the likelihood of", "agency")],
        ),
        (
            "At this time, the forecasters anticipate that El Nino will peak.",
            [("anticipate", "forecasters")],
        ),
        # a sentence adverb is no speaker, even with a verb far after it
        (
            "Nevertheless, the risk is real as China may choose force if it sees no way out.",
            [("may", None)],
        ),
        ("A deal is likely, she said Tuesday.", [("likely", None)]),
    ],
)
def test_a_judgment_is_given_to_who_holds_it(text: str, attributions: list) -> None:
    assert [(d.phrase, d.attribution) for d in scan(text)] == attributions


# Forms missed in the earlier rounds and read since (docs/estimative-language.md).


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Maybe the Fed will cut in June.", [("Maybe", "roughly even chance", False)]),
        (
            "It occurred to me that maybe 2017 is the year.",
            [("maybe", "roughly even chance", False)],
        ),
        ("Korea is perhaps more serious than Iran.", [("perhaps", "roughly even chance", False)]),
        ("The coach is confident of winning the title.", [("confident", "likely", False)]),
        ("The minister was confident of a deal by May.", [("confident", "likely", False)]),
        ("The deal will undoubtedly be signed.", [("undoubtedly", "very likely", False)]),
        ("He will doubtless win the seat.", [("doubtless", "very likely", False)]),
        ("Kim is thought to be in Moscow.", [("is thought to", "likely", False)]),
        (
            "The rebels are widely thought to have withdrawn.",
            [("are widely thought to", "likely", False)],
        ),
        # learned from held10, after its first run
        (
            "The probability of a strike is still considered high.",
            [("The probability of a strike is still considered high", "likely", False)],
        ),
        (
            "It is thought that the walkout will be the first.",
            [("is thought that", "likely", False)],
        ),
        ("An eruption is imminent.", [("is imminent", "very likely", False)]),
        ("Backing Biden looks like a pretty good bet.", [("a pretty good bet", "likely", False)]),
        (
            "The model is very confident in forecasting a win.",
            [("very confident", "likely", False)],
        ),
        ("I sort of think the rally will fade.", [("I sort of think", "likely", False)]),
        ("The model gives a high probability to a win.", [("a high probability", "likely", False)]),
        ("Our baseline is a recession.", [("Our baseline", "likely", False)]),
        # learned from held11, after its first run
        (
            "While a July rate hike is now widely expected, questions remain.",
            [("is now widely expected", "likely", False)],
        ),
        ("Strengthening into hurricane expected\n", [("expected", "likely", False)]),
        (
            "Only a dozen economists had forecast that there would be a rise.",
            [("had forecast", "likely", False)],
        ),
        (
            "The centre continues to forecast significant strengthening.",
            [("continues to forecast", "likely", False)],
        ),
        (
            "Strengthening is forecast during the next few days.",
            [("is forecast", "likely", False)],
        ),
        (
            "My prediction is that the results look like 2008.",
            [("My prediction is that", "likely", False)],
        ),
        (
            "Economists are increasingly convinced that the Fed will raise rates.",
            [("are increasingly convinced that", "very likely", False)],
        ),
        (
            "The storm's track is not yet certain.",
            [("is not yet certain", "roughly even chance", False)],
        ),
        (
            "Initially unsure how strong the storm would become, forecasters waited.",
            [("Initially unsure", "roughly even chance", False)],
        ),
        # what is expected of a storm or a plan, learned from all rounds' "should"
        ("Dorian should move over the Atlantic.", [("should", "likely", False)]),
        ("Analysts say this should not be a major hurdle.", [("should not", "unlikely", False)]),
        ("Wind shear should soon diminish.", [("should", "likely", False)]),
        # learned from held12, after its first run
        ("Chelsea should win this one.", [("should", "likely", False)]),
        (
            "Not convinced the Bills have found their stride.",
            [("Not convinced", "unlikely", False)],
        ),
        ("Titans against Browns. Even game.", [("Even game", "roughly even chance", False)]),
        ("Bills at Commanders: tough call.", [("tough call", "roughly even chance", False)]),
        (
            "I'm clueless as to what is going to happen in Auburn.",
            [("clueless", "roughly even chance", False)],
        ),
        ("I have no clue where it will end up.", [("no clue", "roughly even chance", False)]),
        ("Sturridge (doubt - hip injury)", [("doubt", "roughly even chance", False)]),
        # learned from held14, after its first run
        (
            "Kasich has a real shot at stopping Trump in Ohio.",
            [("a real shot", "roughly even chance", False)],
        ),
        (
            "There is still a decent shot one of his rivals wins.",
            [("a decent shot", "roughly even chance", False)],
        ),
        (
            "How Arteta offsets his absence remains to be seen.",
            [("remains to be seen", "roughly even chance", False)],
        ),
        (
            "But it's still too early to say for sure.",
            [("too early to say for sure", "roughly even chance", False)],
        ),
        ("It's hard to say at this point.", [("hard to say", "roughly even chance", False)]),
        ("Arsenal look destined to be without him.", [("look destined to", "very likely", False)]),
        (
            "Clinton is seemingly a lock in each state.",
            [("seemingly a lock", "very likely", False)],
        ),
        ("In North Carolina Trump should do well.", [("should", "likely", False)]),
        (
            "Bettors give the probabilities that each will win: Romney: 85.3%, Paul: 1.4%.",
            [("85.3%", "85.3%", False), ("1.4%", "1.4%", False)],
        ),
        (
            "The odds: 20% for a cut, 80% for a hold.",
            [("20%", "20%", False), ("80%", "80%", False)],
        ),
        ("It looks like he shouldn’t be out for long.", [("shouldn’t", "unlikely", False)]),
        ("He should be back next week.", [("should", "likely", False)]),
        ("They should win this one.", [("should", "likely", False)]),
        # learned from held15, after its first run
        (
            "But it's not entirely impossible.",
            [("not entirely impossible", "very unlikely", False)],
        ),
        (
            "It's not out of the realm of possibility.",
            [("not out of the realm of possibility", "very unlikely", False)],
        ),
        ("In my opinion, slim to none.", [("slim to none", "very unlikely", False)]),
        ("This is presumably my last post.", [("presumably", "likely", False)]),
        (
            "We're just gonna have to wait and see.",
            [("have to wait and see", "roughly even chance", False)],
        ),
        ("The race remains wide open.", [("race remains wide open", "roughly even chance", False)]),
        (
            "Speculations are rife that shipping will be delayed.",
            [("Speculations are rife", "roughly even chance", False)],
        ),
        ("It is not impossible.", [("not impossible", "very unlikely", False)]),
        # learned from held16, after its first run
        (
            "A weak print is all but certain to see the bank cut.",
            [("all but certain", "almost certain", False)],
        ),
        ("A cut is practically certain.", [("practically certain", "almost certain", False)]),
        ("We’ll see.", [("We’ll see", "roughly even chance", False)]),
        ("The report will be crucial, one suspects.", [("one suspects", "likely", False)]),
        (
            "Economists say rates on hold, but odds stacked for August cut.",
            [("odds stacked for", "likely", False)],
        ),
        (
            "The odds are stacked against him.",
            [("The odds are stacked against", "unlikely", False)],
        ),
        (
            "There is no likelihood of the bank easing rates.",
            [("no likelihood of", "almost no chance", False)],
        ),
        ("The bank is projected to start cutting.", [("is projected to", "likely", False)]),
        (
            "Growth is at greater risk of stalling.",
            [("at greater risk of", "roughly even chance", False)],
        ),
        ("ANZ is no longer forecasting a rate cut.", [("forecasting", "unlikely", True)]),
        ("The market feels that the Fed will cut.", [("feels that", "likely", False)]),
        (
            "Everyone is convinced we’re getting four cuts.",
            [("is convinced", "very likely", False)],
        ),
        (
            "The probability of holding steady is only 5.2%.",
            [("The probability of holding steady is only 5.2%", "5.2%", False)],
        ),
        ("This probability is nearing 90%.", [("probability is nearing 90%", "90%", False)]),
        # learned from held17, after its first run
        (
            "City remain the front-runners for his signature.",
            [("the front-runners", "likely", False)],
        ),
        (
            "Chelsea are among the clubs thought to be considering a move.",
            [("thought to be", "likely", False)],
        ),
        (
            "It now appears that Galatasaray have won the race.",
            [("It now appears that", "likely", False)],
        ),
        (
            "It is anticipated this will be finalised soon.",
            [("It is anticipated", "likely", False)],
        ),
        ("Several factors are poised to combine.", [("are poised to", "very likely", False)]),
        (
            "The poll was designed (one assumes) to screen voters.",
            [("one assumes", "likely", False)],
        ),
        (
            "The runoff puts the nomination up for grabs.",
            [("up for grabs", "roughly even chance", False)],
        ),
        ("Both races look like nailbiters.", [("nailbiters", "roughly even chance", False)]),
        (
            "Only time will tell if it was right.",
            [("Only time will tell", "roughly even chance", False)],
        ),
        (
            "I can say so with relative certainty.",
            [("with relative certainty", "very likely", False)],
        ),
        (
            "If I had to put my money on it I would say yes.",
            [("put my money on it I would say", "likely", False)],
        ),
        ("I'd put my money against it.", [("put my money against", "unlikely", False)]),
        (
            "I would be absolutely shocked if there is a runoff.",
            [("would be absolutely shocked if", "very unlikely", False)],
        ),
        (
            "I would be impressed if they win five games.",
            [("would be impressed if", "unlikely", False)],
        ),
        ("It wouldn’t shock me if they were better.", [("wouldn’t shock me if", "likely", False)]),
        ("No way is a runoff in the future.", [("No way", "almost no chance", False)]),
        ("Not sold on Evans being a positive.", [("Not sold on", "unlikely", False)]),
        ("We will surprise everyone I feel.", [("I feel", "likely", False)]),
        # learned from held18, after its first run
        (
            "I am really hoping they don’t, but I am not optimistic.",
            [("not optimistic", "unlikely", False)],
        ),
        ("We shall see how it goes.", [("We shall see", "roughly even chance", False)]),
        (
            "It looks like next year will be another blockbuster.",
            [("It looks like", "likely", False)],
        ),
        ("But as of now it looks that way.", [("it looks that way", "likely", False)]),
        ("And it appears he ordered the murder.", [("it appears", "likely", False)]),
        ("The flu shot appears to be a good match.", [("appears to be", "likely", False)]),
        (
            "A preemptive strike is on the table.",
            [("is on the table", "roughly even chance", False)],
        ),
        (
            "What this means has yet to be seen.",
            [("has yet to be seen", "roughly even chance", False)],
        ),
        ("Doctors suspect the country is ripe for flu.", [("suspect", "likely", False)]),
        (
            "It’s far too early to know for sure.",
            [("too early to know for sure", "roughly even chance", False)],
        ),
        ("I see the war ending soon.", [("I see", "likely", False)]),
        ("I don’t see Putin allowing them entry.", [("I don’t see", "unlikely", False)]),
        # a frame keeps its judgment beside a second clause's, joined by "and" with its verb
        (
            "Fully expect them to be in the mix and wouldn’t shock me if they were better.",
            [("Fully expect", "likely", False), ("wouldn’t shock me if", "likely", False)],
        ),
        ("I think a deal is unlikely.", [("unlikely", "unlikely", False)]),
        # learned from held19, after its first run
        ("He's home and hosed.", [("home and hosed", "very likely", False)]),
        ("Bookies reckon he is safe.", [("reckon", "likely", False)]),
        ("I am sure that they were not happy.", [("I am sure that", "very likely", False)]),
        ("He will surely be getting nervous.", [("will surely", "very likely", False)]),
        (
            "There is no guarantee that he will stay.",
            [("no guarantee that", "roughly even chance", False)],
        ),
        ("Daglish has some chance.", [("has some chance", "roughly even chance", False)]),
        ("Frankly, who knows.", [("who knows", "roughly even chance", False)]),
        ("Hopes are not high for the manager.", [("Hopes are not high", "unlikely", False)]),
        ("Doubtful.", [("Doubtful", "unlikely", False)]),
        ("Haan has no real chance.", [("no real chance", "almost no chance", False)]),
        (
            "Hell will freeze over before they go down.",
            [("Hell will freeze over before", "almost no chance", False)],
        ),
        ("I just can't see it happening.", [("I just can't see", "unlikely", False)]),
        ("It seems as though he retains their support.", [("It seems as though", "likely", False)]),
        ("He should be safe for now.", [("should", "likely", False)]),
        ("Moyes is the hot favourite.", [("the hot favourite", "likely", False)]),
        ("O'Neill is second favourite in most books.", [("second favourite", "likely", False)]),
        # learned from held20, after its first run
        (
            "There is barely a chance the summit will succeed.",
            [("barely a chance", "almost no chance", False)],
        ),
        ("People doubt Trump can provide that.", [("People doubt", "unlikely", False)]),
        ("Low expectations for the peace conference", [("Low expectations", "unlikely", False)]),
        (
            "Analysts are skeptical about how much can be achieved.",
            [("are skeptical about", "unlikely", False)],
        ),
        ("Hopes fall for peace talks", [("Hopes fall", "unlikely", False)]),
        ("We're hopeful it will come together.", [("hopeful", "likely", False)]),
        ("A breakthrough deal is not expected.", [("expected", "unlikely", True)]),
        # learned from held21, after its first run
        ("We’re definitely seeing an upgrade.", [("We’re definitely", "very likely", False)]),
        ("It would seem that we’ve seen five seeds.", [("It would seem that", "likely", False)]),
        ("I would wager a couple of days before.", [("I would wager", "likely", False)]),
        ("I have a hunch it will ship in May.", [("I have a hunch", "likely", False)]),
        ("Gonna guess it will arrive later.", [("Gonna guess", "likely", False)]),
        ("New iPhone hardware is also a given.", [("is also a given", "almost certain", False)]),
        ("The likeliest one more thing is speech.", [("The likeliest", "likely", False)]),
        # learned from held22, after its first run
        (
            "I’m convinced that we won’t see a decision, but who knows?",
            [("I’m convinced that", "very likely", False)],
        ),
        (
            "With many saying Roberts likely wrote it, he asked, “Does that tell us anything?”",
            [("likely", "likely", False)],
        ),
        ("She was optimistic conditions would improve.", [("optimistic", "likely", False)]),
        ("No one knows how the court will rule.", [("No one knows", "roughly even chance", False)]),
        (
            "Barring an almost unimaginable turn, he will vote no.",
            [("almost unimaginable", "almost no chance", False)],
        ),
        (
            "His vote is a good sign that he will strike it down.",
            [("a good sign that", "likely", False)],
        ),
        (
            "It is not looking favorable right now for launch.",
            [("is not looking favorable", "unlikely", False)],
        ),
        (
            "I’m sure some of the justices have travel planned.",
            [("I’m sure", "very likely", False)],
        ),
        ("Shuttle launch now 70 percent 'go'", [("70 percent 'go'", "70%", False)]),
        # learned from held23, after its first run
        ("I’d be surprised if they win.", [("I’d be surprised if", "unlikely", False)]),
        (
            "But I'll be surprised if the Tories do that well.",
            [("I'll be surprised if", "unlikely", False)],
        ),
        ("I cannot see how the Conservatives can win.", [("I cannot see how", "unlikely", False)]),
        ("Difficult to call.", [("Difficult to call", "roughly even chance", False)]),
        (
            "It's going to be a close run thing.",
            [("a close run thing", "roughly even chance", False)],
        ),
        ("I also still see the LibDems picking some up.", [("I also still see", "likely", False)]),
        ("It’s not looking good for the launch.", [("It’s not looking good", "unlikely", False)]),
        ("I’ve got a hunch it ships in May.", [("I’ve got a hunch", "likely", False)]),
        # learned from held24, after its first run
        ("It is believed that an extension will follow.", [("is believed that", "likely", False)]),
        (
            "The general consensus is that OPEC will keep the limits.",
            [("The general consensus is that", "likely", False)],
        ),
        (
            "Analysts said they expected that, soon, gains would be modest.",
            [("expected that", "likely", False)],
        ),
        (
            "Prices will rise in coming months, Morgan Stanley forecasts.",
            [("forecasts", "likely", False)],
        ),
        ("We assume that OPEC will extend the cuts.", [("We assume", "likely", False)]),
    ],
)
def test_a_form_missed_before_is_read(text: str, expected: list) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "It was quiet this morning, maybe 15 people in my precinct.",
        "There are only two items, maybe three, on that list.",
        "She is confident in her team.",
        "He is confident of his abilities.",
        "I thought to myself that it was odd.",
        "A quote:\n> 10% of voters said so.",
        "Rates will fall by > 50 basis points.",
        # learned from held10, after its first run
        "Volatility should be 9x the baseline.",
        "Officials played down hopes of an imminent cease-fire.",
        "Maybe!",
        "The alert was raised to Level 3, the highest possible.",
        "It is about the worst possible closing pitch.",
        # learned from held11, after its first run
        "Realistically, what do you think the odds are for this election?",
        "Do you think rates matter?",
        "Sales were better than expected\n",
        "The forecast track shows little change.",
        "Residents should monitor updates.",
        "We should prepare ourselves for upsets.",
        "Vaccines must be on hand should it pick up speed.",
        "It should be watched extremely closely.",
        "It is hard for customers to decide whether they should upgrade.",
        "Uphold the standards all New Zealanders expect from those who administer our laws.",
        "I have no idea.",
        "The doubt - if there was any - is gone.",
        # learned from held14, after its first run
        "A real shot of whisky.",
        "It is hard to say no to him.",
        "It is hard to tell them apart.",
        "You should do well to listen.",
        "Believe it or not, he won.",
        "Florida: Trump 41%, Rubio 26%, Cruz 17%.",  # shares of the vote
        "Risk factors: 20% of patients smoke.",
        "He should resign.",
        "They should listen to voters.",
        "She should be ashamed of it.",
        "They should be ready to leave.",
        "The door is wide open.",
        # a direct question asks how likely; it does not say (held14's and held15's extras)
        "Do any other teams even have a small chance?",
        "Which games could the striker miss this month?",
        "How likely is an eruption?",
        # learned from held16, after its first run
        "It might be better not to cut rates.",
        "The benchmark rate is forecast to be 2 per cent.",
        "Moreover, forecasting the primary is hard this year.",
        "She is good at forecasting the weather.",
        "We’ll see more rain tomorrow.",
        "The team convinced the board to stay.",
        # learned from held17, after its first run
        "His contract is set to expire in 2027.",
        "Guardiola refused to talk about the prospect of signing him.",
        "I thought to myself that it was odd.",
        "There is no way to know.",
        "I feel fine about it.",
        # learned from held18, after its first run
        "Here is what to expect this season.",
        "Police questioned the suspect the next day.",
        "I see your point.",
        "The shutdown makes it difficult to know how the virus is developing.",
        "The team was optimistic about the draw.",
        # learned from held19, after its first run
        "He is a man who knows the area well.",
        "She is a force to be reckoned with.",
        "My favourite song is on the radio.",
        "Doubtful claims were made.",
        # learned from held20, after its first run
        "The conference was originally expected to be set for late November.",
        "Sales were better than expected.",
        "They have doubts about the plan.",
        # learned from held21, after its first run
        "So, I’ll take a stab at predicting what we will see.",
        "I'll also dare to predict the rest of the fall.",
        # learned from held22, after its first run
        "Forecast Now Calls For Rain",
        "The team held out until the last possible minute.",
        "So he asked, “Could it happen this year?”",
        # learned from held23, after its first run
        "Labour win large majority, but not quite as big as some think.",
        "It's done, and I'll be there.",
        # learned from held24, after its first run
        "We read the weather forecasts.",
    ],
)
def test_a_look_alike_of_those_forms_is_not_a_judgment(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "term", "low", "high"),
    [
        ("Some analysts see a >1% chance of default.", "more than 1%", 0.01, 1.0),
        ("There is a ≥ 60% probability of a cut.", "at least 60%", 0.6, 1.0),
        ("We see a <5% chance of war this year.", "less than 5%", 0.0, 0.05),
        ("The odds of a cut are <= 10%.", "at most 10%", 0.0, 0.1),
        ("I give it a ~30% chance.", "30%", 0.3, 0.3),
        ("-15% chance of victory, pretty good considering.", "15%", 0.15, 0.15),  # a dash
        ("I do think the following-75% chance of Trump.", "75%", 0.75, 0.75),  # a joining dash
        ("Clinton-99% chance of becoming the candidate.", "99%", 0.99, 0.99),
    ],
)
def test_a_chance_written_with_a_symbol_is_read(text: str, term: str, low, high) -> None:
    (detection,) = scan(text)
    reading = detection.reading
    assert (reading.scale, reading.term, reading.low, reading.high) == (STATED, term, low, high)

"""Linguistic cases of PLOVER event coding, each on a sentence written for this file.

Category rules from the manual and issue 3: future cooperative acts and announced meetings are
AGREE, future or hypothetical hostile acts are THREATEN, refusals are REJECT; condolences, plain
statements and obligations are not events; light verbs ("held talks", "expressed concern") carry
the event of their object; auxiliary modes (negation, future, hypothetical, historical) end up
in the record's context.
"""

from __future__ import annotations

import datetime as dt

import pytest

from sanderling.types import Article, EventRecord


def code(coder, text: str) -> list[EventRecord]:  # type: ignore[no-untyped-def]
    return coder.code_article(Article(id="ling", text=text, date=dt.date(2025, 6, 1)))  # type: ignore[no-any-return]


def only(coder, text: str, category: str) -> EventRecord:  # type: ignore[no-untyped-def]
    recs = [r for r in code(coder, text) if r.event == category]
    assert len(recs) == 1, (text, [(r.event, r.mode, r.event_text) for r in code(coder, text)])
    return recs[0]


def categories(coder, text: str) -> set[str]:  # type: ignore[no-untyped-def]
    return {r.event for r in code(coder, text)}


# -- future and announced acts ---------------------------------------------------------------


def test_future_aid_is_agree(coder) -> None:  # type: ignore[no-untyped-def]
    r = only(coder, "Kenya will send medical teams to Uganda next month.", "AGREE")
    assert [e.code for e in r.actor] == ["KEN"] and [e.code for e in r.recipient] == ["UGA"]
    assert "future" in r.context
    assert "AID" not in categories(coder, "Kenya will send medical teams to Uganda next month.")


def test_announced_meeting_is_agree(coder) -> None:  # type: ignore[no-untyped-def]
    text = "The Finnish and Estonian prime ministers will meet in Tallinn next week."
    assert categories(coder, text) == {"AGREE"}


def test_future_withdrawal_is_agree_not_retreat(coder) -> None:  # type: ignore[no-untyped-def]
    text = "Ukraine will withdraw its troops from the contested town, Kyiv announced."
    assert "RETREAT" not in categories(coder, text)
    assert only(coder, text, "AGREE")


def test_agreeing_to_a_ceasefire_is_agree(coder) -> None:  # type: ignore[no-untyped-def]
    text = "Armenia and Azerbaijan agreed to a ceasefire on Sunday."
    assert categories(coder, text) == {"AGREE"}


def test_future_hostile_act_is_threaten(coder) -> None:  # type: ignore[no-untyped-def]
    r = only(coder, "Hungary will impose a curfew on the border towns.", "THREATEN")
    assert r.mode == ["restrict"]


def test_readiness_to_coerce_is_a_threat(coder) -> None:  # type: ignore[no-untyped-def]
    text = "The Bolivian government is ready to impose martial law in the capital."
    assert categories(coder, text) == {"THREATEN"}


# -- hypothetical ------------------------------------------------------------------------------


def test_could_attack_is_threaten(coder) -> None:  # type: ignore[no-untyped-def]
    r = only(coder, "Israel could strike Iran's nuclear sites.", "THREATEN")
    assert r.mode == ["violence"]
    assert "ASSAULT" not in categories(coder, "Israel could strike Iran's nuclear sites.")


def test_conditional_expulsion_is_threaten(coder) -> None:  # type: ignore[no-untyped-def]
    text = "Nigeria would expel the ambassador of Ghana if the border stayed closed."
    r = only(coder, text, "THREATEN")
    assert r.mode == ["expel"]
    assert [e.code for e in r.recipient] == ["GHA"]


def test_would_meet_if_is_a_conditional_offer(coder) -> None:  # type: ignore[no-untyped-def]
    text = "Vietnam would meet Chinese negotiators if the ships left the area."
    assert categories(coder, text) == {"AGREE"}


# -- negation ----------------------------------------------------------------------------------


def test_negated_criticism_is_not_coded(coder) -> None:  # type: ignore[no-untyped-def]
    assert code(coder, "Egypt did not condemn the attack by Ethiopia.") == []


def test_will_not_accept_is_reject(coder) -> None:  # type: ignore[no-untyped-def]
    r = only(coder, "Bolivia will not accept the conditions set by Chile.", "REJECT")
    assert "negation" not in r.context


def test_refusal_and_appeal_are_two_events(coder) -> None:  # type: ignore[no-untyped-def]
    text = "Peru has refused to deploy soldiers in Haiti and has urged its citizens to leave."
    assert {"REJECT", "REQUEST"} <= categories(coder, text)


# -- historical --------------------------------------------------------------------------------


def test_previously_is_historical(coder) -> None:  # type: ignore[no-untyped-def]
    r = only(coder, "Angola previously accused Zambia of harbouring rebels.", "ACCUSE")
    assert "historical" in r.context


def test_last_met_in_an_old_year_is_historical(coder) -> None:  # type: ignore[no-untyped-def]
    r = only(coder, "The Finnish and Estonian prime ministers last met in 2019.", "CONSULT")
    assert "historical" in r.context


# -- not events --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The Swedish king expressed his condolences to the people of Turkey.",
        "Brazil said the vote would take place in March.",
        "Chad and Niger have to work together against the smugglers, the envoy said.",
        "We must cooperate more closely, the Indian minister told his Nepalese counterpart.",
    ],
)
def test_not_events(coder, text: str) -> None:  # type: ignore[no-untyped-def]
    assert code(coder, text) == []


def test_call_for_joint_effort_without_addressee_is_not_a_request(coder) -> None:  # type: ignore[no-untyped-def]
    text = "The Kenyan president called for a joint effort from all sides to end the drought."
    assert "REQUEST" not in categories(coder, text)


# -- requests and demands ----------------------------------------------------------------------


def test_called_on_to_is_request(coder) -> None:  # type: ignore[no-untyped-def]
    r = only(coder, "Ghana called on Togo to reopen the border crossing.", "REQUEST")
    assert [e.code for e in r.actor] == ["GHA"] and [e.code for e in r.recipient] == ["TGO"]
    assert "RETREAT" not in categories(coder, "Ghana called on Togo to reopen the border crossing.")


def test_said_another_party_must_is_request(coder) -> None:  # type: ignore[no-untyped-def]
    r = only(coder, "Germany said Serbia must hand over the suspects.", "REQUEST")
    assert [e.code for e in r.recipient] == ["SRB"]


# -- material categories -----------------------------------------------------------------------


def test_shared_intelligence_is_cooperate(coder) -> None:  # type: ignore[no-untyped-def]
    text = "Spain shared intelligence with Morocco about the smuggling network."
    r = only(coder, text, "COOPERATE")
    assert [e.code for e in r.recipient] == ["MAR"]


def test_humanitarian_pause_is_retreat(coder) -> None:  # type: ignore[no-untyped-def]
    text = "Morocco announced a humanitarian pause in the fighting with the rebels."
    assert only(coder, text, "RETREAT").mode == ["ceasefire"]


def test_troop_withdrawal_is_retreat(coder) -> None:  # type: ignore[no-untyped-def]
    r = only(coder, "Russia withdrew its troops from the border with Georgia.", "RETREAT")
    assert r.mode == ["withdraw"]


def test_resignation_is_retreat_resign(coder) -> None:  # type: ignore[no-untyped-def]
    r = only(coder, "The Mexican interior minister resigned on Tuesday.", "RETREAT")
    assert r.mode == ["resign"]


def test_expelling_diplomats_is_sanction(coder) -> None:  # type: ignore[no-untyped-def]
    text = "Poland expelled two diplomats from the Russian embassy in Warsaw."
    assert only(coder, text, "SANCTION").mode == ["expel"]


def test_suspended_aid_deliveries_is_sanction(coder) -> None:  # type: ignore[no-untyped-def]
    r = only(coder, "Portugal suspended aid deliveries to Guinea-Bissau.", "SANCTION")
    assert r.mode == ["discontinue"]


def test_lifting_a_state_of_emergency_is_concede(coder) -> None:  # type: ignore[no-untyped-def]
    text = "Peru lifted the state of emergency in the southern provinces."
    assert categories(coder, text) == {"CONCEDE"}


def test_ordered_to_suspend_publication_is_censorship(coder) -> None:  # type: ignore[no-untyped-def]
    text = "Kuwait ordered the newspaper to suspend publication for a month."
    assert only(coder, text, "COERCE").mode == ["censor"]


def test_engaged_in_is_the_act_not_its_setting(coder) -> None:  # type: ignore[no-untyped-def]
    text = "The rebels engaged in ethnic cleansing against the Tutsi population in Rwanda."
    assert "ASSAULT" in categories(coder, text)


# -- light verbs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "category", "mode"),
    [
        (
            "The Danish foreign minister held talks with her Swedish counterpart in Malmo.",
            "CONSULT",
            [],
        ),
        ("Japan expressed concern over China's naval drills.", "ACCUSE", ["disapprove"]),
        (
            "The Brazilian president threw his weight behind Argentina's bid to host the summit.",
            "SUPPORT",
            [],
        ),
    ],
)
def test_light_verbs(coder, text: str, category: str, mode: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert only(coder, text, category).mode == mode


# -- clauses that are part of another event ----------------------------------------------------


def test_condition_is_not_an_event(coder) -> None:  # type: ignore[no-untyped-def]
    text = "Niger will boycott the summit unless Mali agrees to a ceasefire with the rebels."
    assert "AGREE" not in categories(coder, text)


def test_demand_of_a_protest_is_the_protest(coder) -> None:  # type: ignore[no-untyped-def]
    text = "Thousands of Chilean students marched in Santiago to demand free education."
    assert categories(coder, text) == {"PROTEST"}


def test_indictment_and_announced_resignation_are_two_events(coder) -> None:  # type: ignore[no-untyped-def]
    """Coordinated verbs with their own tense or voice are two acts, not one shared act."""
    from sanderling.auxiliary import auxiliary_modes
    from sanderling.detect import detect

    doc = coder.nlp(
        "The Croatian defence minister was indicted by a court in Zagreb and will resign."
    )
    found = {d.category for s in doc.sents for d in detect(s, coder.lexicon, auxiliary_modes)}
    assert {"ACCUSE", "RETREAT"} <= found


def test_participle_description_is_no_event(coder) -> None:  # type: ignore[no-untyped-def]
    text = "Fighters of the Iranian-backed militia withdrew from the town in Iraq."
    assert "SUPPORT" not in categories(coder, text)


def test_fighting_before_a_ceasefire_is_its_setting(coder) -> None:  # type: ignore[no-untyped-def]
    text = "Sudan and Chad agreed to a truce after three days of heavy fighting."
    assert categories(coder, text) == {"AGREE"}


def test_rejected_call_swallows_its_content(coder) -> None:  # type: ignore[no-untyped-def]
    text = "Indonesia rejected a call for its troops to be deployed in Timor."
    assert categories(coder, text) == {"REJECT"}


def test_aim_of_talks_is_not_an_event(coder) -> None:  # type: ignore[no-untyped-def]
    text = "Japan hosted Russian officials for talks aimed at establishing diplomatic relations."
    assert "SUPPORT" not in categories(coder, text)


def test_goal_of_a_visit_is_part_of_it(coder) -> None:  # type: ignore[no-untyped-def]
    text = "The Kenyan president will visit Ethiopia and Eritrea to mediate in their dispute."
    assert categories(coder, text) == {"AGREE"}


def test_denied_attack_is_a_denial_not_an_attack(coder) -> None:  # type: ignore[no-untyped-def]
    text = "Russia denied that its jets had attacked the aid convoy near Aleppo."
    assert categories(coder, text) == {"REJECT"}


def test_sympathy_for_disaster_victims_is_condolence(coder) -> None:  # type: ignore[no-untyped-def]
    text = "The Chilean president expressed sympathy with the victims of the earthquake in Ecuador."
    assert code(coder, text) == []


def test_exchange_of_fire_is_assault_between_both(coder) -> None:  # type: ignore[no-untyped-def]
    r = only(coder, "India and Pakistan exchanged fire along the border in Kashmir.", "ASSAULT")
    assert {e.code for e in r.actor} == {"IND", "PAK"}


def test_warning_of_likely_harm_is_no_threat(coder) -> None:  # type: ignore[no-untyped-def]
    assert code(coder, "The UN warned that more deaths are likely in the camps.") == []


def test_warning_of_own_action_is_a_threat(coder) -> None:  # type: ignore[no-untyped-def]
    text = "Chile's interior minister warned that officers will stop any march near the palace."
    assert categories(coder, text) == {"THREATEN"}

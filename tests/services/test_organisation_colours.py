"""Organisations get colours that keep them apart."""

from competition.services.organisations import PALETTE, pick_colour


def test_the_first_twenty_organisations_never_share_a_colour():
    used: list[str] = []
    for _ in range(len(PALETTE)):
        used.append(pick_colour(used))
    assert len(set(used)) == len(PALETTE) == 20


def test_a_colour_chosen_by_hand_is_not_given_again_whatever_its_case():
    assert pick_colour(["#f3c300"]) == PALETTE[1]


def test_the_palette_repeats_once_every_colour_is_taken():
    assert pick_colour(list(PALETTE)) == PALETTE[0]

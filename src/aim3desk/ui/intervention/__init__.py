"""The intervention plan board of a case (AIM intervention framework, seed 002).

The four stages are columns; each track (the young person, each named parent or carer, the
multi-agency risk management meeting) is a row with its card in the column of its own stage.
A card moves with its arrow buttons or the Left and Right keys. Below the board, the goals of
the chosen track: started from the stage's content or written fresh, with the young person's
plain-words version and who they think can help, rated at reviews and drawn as a small chart.
Further tabs keep the risk management meetings, the versioned keeping-safe plan and the
ending summary that moving on (stage four) produces.

`board.py` hosts one widget per tab (`stages_tab.py`, `meetings_tab.py`,
`keeping_safe_tab.py`, `ending_tab.py`); `widgets.py` holds the cards, dialogs and chart.
Every read and write is a named operation (ui/operations/intervention.py).
"""

from aim3desk.ui.intervention.board import InterventionBoard

__all__ = ["InterventionBoard"]

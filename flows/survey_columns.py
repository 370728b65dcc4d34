"""The columns of a needs file (a survey or a paper form typed in) and what each one feeds.

``cityneeds import`` reads these columns; the paper form names them next to the
questions whose answers go there.
"""

from __future__ import annotations

from typing import Final

#: Column of the participant's helix group.
GROUP_COLUMN: Final = "group"
#: Column of the participant's language (a locale code).
LANGUAGE_COLUMN: Final = "language"
#: Columns every file must have, in the documented order.
REQUIRED_COLUMNS: Final = (
    GROUP_COLUMN,
    LANGUAGE_COLUMN,
    "domain",
    "importance",
    "satisfaction",
    "need",
)
#: Column of the resident's reference code (``K7QM-2XDR``, printed on the paper form).
#: Rows with the same code are one resident's needs; with the code the resident can
#: later see (``my data``) or delete (``forget me``) them through a volunteer.
REFERENCE_COLUMN: Final = "reference"
#: Columns a file may add.
OPTIONAL_COLUMNS: Final = ("how_might_we", REFERENCE_COLUMN)
#: Which column holds each field of the macro script's ``need`` record.
COLUMN_OF_NEED_FIELD: Final = {
    "domain": "domain",
    "importance": "importance",
    "satisfaction": "satisfaction",
    "text": "need",
    "hmw": "how_might_we",
}

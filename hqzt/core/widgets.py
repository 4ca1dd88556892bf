from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker. It needs ISO dates (YYYY-MM-DD) whatever the site's locale,
    or initial values would not show."""

    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")

from django import forms


class DateInput(forms.DateInput):
    """A date: the browser's own picker, which static/js/datepicker.js turns into the vendored
    flatpickr calendar with Chinese month and weekday names whatever the browser's language
    (data-datepicker is the hook). Either way the value is an ISO date (YYYY-MM-DD) whatever the
    site's locale, or initial values would not show."""

    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs={"data-datepicker": "", **(attrs or {})}, format="%Y-%m-%d")


class PhoneInput(forms.TextInput):
    """A phone number: the number keypad on a phone, the browser's autofill for numbers. Still a
    text field, since landlines carry area codes and extensions (0356-2221234 转 8)."""

    input_type = "tel"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs={"inputmode": "tel", "autocomplete": "tel", **(attrs or {})})


class DigitsInput(forms.TextInput):
    """A few digits (the last four of a phone): the numeric keypad on a phone."""

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs={"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})


class MultipleFileInput(forms.ClearableFileInput):
    """One file input that takes several files (the portal's attachments, a practice's photos);
    the field using it checks their number and type."""

    allow_multiple_selected = True

"""Benefits (key 4): the tracker and the benefit profile it opens."""

from pgmtui.screens.benefits.measure import MeasurementForm, record_measurement
from pgmtui.screens.benefits.profile import BenefitProfileScreen, plot_data
from pgmtui.screens.benefits.screen import BenefitsScreen
from pgmtui.screens.benefits.view import BENEFIT_FORM_FIELDS, MEASUREMENT_FIELDS

__all__ = [
    "BENEFIT_FORM_FIELDS",
    "MEASUREMENT_FIELDS",
    "BenefitProfileScreen",
    "BenefitsScreen",
    "MeasurementForm",
    "plot_data",
    "record_measurement",
]

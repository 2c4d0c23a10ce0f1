"""The what-if form of the analysis step: one slider per top-level dimension and a line that
shows where the overall score and level would land (the logic is :mod:`pmo_assess.scoring.whatif`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from pmo_assess.model.questionnaire import Questionnaire
from pmo_assess.scoring.assessment import AssessmentResult
from pmo_assess.scoring.whatif import WhatIfResult, dimension_scores, score_range, what_if

STEP = 0.1


class WhatIfForm(widgets.VBox):
    """Sliders from each dimension's current score up to the top of the scale.

    ``form.sliders`` maps dimension id to its ``FloatSlider``; ``form.label`` shows
    "overall X.XX (level) — was Y.YY (level)"; ``form.reset`` puts every slider back.
    A dimension without a score (or already at the top) gets a disabled slider: there is
    nothing measured to raise.
    """

    def __init__(
        self, questionnaire: Questionnaire, assessment: AssessmentResult | Mapping[str, Any]
    ) -> None:
        self.questionnaire = questionnaire
        self.current = dimension_scores(assessment)
        self.sliders = {
            d.id: self._slider(d.title, self.current.get(d.id), *score_range(questionnaire, d.id))
            for d in questionnaire.dimensions
        }
        self.label = widgets.Label()
        self.reset = widgets.Button(description="Reset", tooltip="Back to the assessed scores")
        self.reset.on_click(self._reset)
        for slider in self.sliders.values():
            slider.observe(self._update, names="value")
        self.result = self._compute()
        super().__init__(
            [
                widgets.HTML("<b>What if these dimensions scored higher?</b>"),
                *self.sliders.values(),
                widgets.HBox([self.label, self.reset]),
            ]
        )

    def changed(self) -> dict[str, float]:
        """The dimensions moved away from their assessed score, with their slider values."""
        return {
            dimension_id: float(slider.value)
            for dimension_id, slider in self.sliders.items()
            if not slider.disabled and slider.value != slider.min
        }

    def _slider(self, title: str, score: float | None, low: float, high: float) -> Any:
        start = score if score is not None else low
        return widgets.FloatSlider(
            value=start,
            min=start,
            max=high,
            step=STEP,
            readout_format=".2f",
            description=title,
            tooltip=title,
            disabled=score is None or score >= high,
            continuous_update=False,
            style={"description_width": "22em"},
            layout=widgets.Layout(width="46em"),
        )

    def _compute(self) -> WhatIfResult:
        result = what_if(self.questionnaire, self.current, self.changed())
        self.label.value = result.summary()
        return result

    def _update(self, _change: Any = None) -> None:
        self.result = self._compute()

    def _reset(self, _button: Any = None) -> None:
        for slider in self.sliders.values():
            slider.value = slider.min
        self._update()

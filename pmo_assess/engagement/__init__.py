"""One module per step of the method the notebooks walk through: start, scope, interview, analysis, plan, briefing, re-assessment, performance; and the demo."""

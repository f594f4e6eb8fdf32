"""The web chat UI (`medcite ui`): a Gradio Blocks app over the public ``medcite.qa`` functions.

``medcite.ui.render`` and ``medcite.ui.feedback`` import no Gradio; ``medcite.ui.app`` does.
"""

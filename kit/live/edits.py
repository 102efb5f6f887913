"""Weights by hand on a live run: the student edits one weight or bias of a paused run from the
live view's network diagram (``view.js`` sends the ``weight`` command; ``kit.weight_edits``
checks and writes it)."""

from kit.live.run import Run
from kit.weight_edits import EditRefused, apply_edit


def edit_parameter(run: Run, value: object) -> None:
    """Apply the browser's edit ``value`` (``kit.weight_edits.apply_edit``) to the paused
    ``run``'s network; an edit that is not valid, or a playing run, leaves the network untouched
    and says why in ``run.error``. On success the run's metrics are measured again (curves and
    readouts show the edited network), ``run.error`` is cleared and ``run.notice`` says what was
    set, at which iteration, until training goes on."""
    if run is None:
        return
    try:
        if run.playing:
            raise EditRefused(
                "Pause first: a weight can only be set by hand while training is paused "
                "(press Pause or Space, then click the weight again)."
            )
        name, old, new = apply_edit(run.network, value)
    except EditRefused as refused:
        run.error = str(refused)
        return
    run.measure()
    run.error = None
    run.notice_at = run.iteration
    run.notice = f"You set {name} from {old:.4g} to {new:.4g} at iteration {run.iteration:,}: " + (
        "the run has reached its end; Reset, or raise Max iterations, to train again."
        if run.finished
        else "press Play to train on from here."
    )

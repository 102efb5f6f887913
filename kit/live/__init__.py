"""The live view: a lesson's network learning, animated in the browser from batches of frames.

One frame, from the click to the pixels:

1. The student presses Play (or Space). view.js shows Pause at once and sends the trigger
   "ask" {n, cmd: "play", have: run id, buffered_ms}: one ask in flight, at most (sent
   again, same n, if no answer comes; the server obeys each n once).
2. The trigger reruns only the live fragment (``view.live_view``). Its callback keeps the
   ask; the fragment carries out the command (``set_playing``).
3. The fragment trains a batch (``frames.train_batch``): a few steps, a snapshot, again,
   for about ``pacing.BATCH_SECONDS`` of animation (less for the first batch, more in a busy
   class: ``pacing.CLASS``). A snapshot is data: the iteration, the cost, new curve points,
   the lesson's readouts and panel values (a picture as bytes, a line's y values, weights).
4. The fragment sends the payload to the component: the frames, the state, and on a full
   payload (a rerun of the page, a new run) the scene: the panels and what never changes.
5. view.js queues the frames. Its one clock, requestAnimationFrame, shows the next frame
   every ``frame_ms`` (about 33 ms): the counters as text ("Iteration 1,234"), each panel
   painted on the canvas it keeps. When less is queued than two round trips, it asks again;
   a view drawn anew (holding no run) asks for everything.

Pause, Step, Reset, a weight edited in the diagram (``edits``) and a point added or removed on
the picture (``hand``), and the end of a run once its frames are played, rerun the whole page
after the command, so that what the page shows below the live view (the math, the code)
is the run as it is now. A slider reruns the whole page too: the payload is full and the
browser starts again from the server's state.
"""

from kit.live.frames import encode, rounded
from kit.live.hand import DataByHand
from kit.live.run import Run, current_run
from kit.live.view import live_view

__all__ = ["DataByHand", "Run", "current_run", "encode", "live_view", "rounded"]

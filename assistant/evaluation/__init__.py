"""`assistant eval`: reads a question file (`questions`), runs it through the engine and
the baseline (`baseline`) in one process (`run`, timing the embedding inside each ask:
`timing`), scores it with small pure metrics and statistics (`metrics`: Wilson intervals,
exact McNemar), sums it up with every share's counts and interval (`figures`) and writes
the report three ways (`report`, `html_report` with `plots` and the items table `items`),
every figure defined once (`definitions`), with what it was measured on (`provenance`,
including whether the question set was tuned on); `compare` tells two runs apart with a
paired test (`compare_html` for its page). Reads the engine; nothing imports it."""

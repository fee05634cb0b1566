"""Running the nightly_build job from the command line and the tests: the build lock, the
Dagster instance next to the warehouse, recovery from killed runs, the run itself."""

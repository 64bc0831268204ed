// Each test starts its own daemon on its own free port, so fixtures may run side by side.
[assembly: Parallelizable(ParallelScope.Fixtures)]

//go:build !unix

package main

// noCoreDumps does nothing where core-file limits do not exist (Windows
// writes no core files unless Windows Error Reporting is set up to).
func noCoreDumps() {}

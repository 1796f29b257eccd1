#pragma once
// Shell-style glob matching with '*' (any run) and '?' (one character), used
// by ktest=GLOB to select suites and cases.
bool glob_match(const char* pattern, const char* text);

#pragma once
// crash=KIND on the command line: deliberately fault after boot, so the
// exception reports can be seen and tested end to end.
namespace crash {
// KIND: pf (page fault), ud (invalid opcode), gp (general protection),
// de (divide error), df (double fault), panic.
void trigger(const char* kind);
} // namespace crash

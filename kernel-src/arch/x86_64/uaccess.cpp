// The C++ side of uaccess.S: finding the fixup for a faulting user copy.
#include <kernel/uaccess.hpp>

namespace {
struct UaccessRange {
    u64 start, end, fixup;
};
} // namespace

extern "C" const UaccessRange uaccess_table[], uaccess_table_end[];

bool uaccess::fixup_for(u64 rip, u64* fixup)
{
    for (const UaccessRange* r = uaccess_table; r < uaccess_table_end; r++) {
        if (rip >= r->start && rip < r->end) {
            *fixup = r->fixup;
            return true;
        }
    }
    return false;
}

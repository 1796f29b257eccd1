#include <lib/spinlock.hpp>
#include <lib/string.hpp>
#include <proc/exec_registry.hpp>

namespace proc::exec_registry {
namespace {
struct Entry {
    char path[64];
    RefPtr<PageSource> program;
};
Spinlock s_lock;
Entry s_entries[16];
} // namespace

void set(const char* path, RefPtr<PageSource> program)
{
    SpinlockGuard guard(s_lock);
    Entry* free_slot = nullptr;
    for (Entry& e : s_entries) {
        if (e.program && strcmp(e.path, path) == 0) {
            e.program = move(program);
            return;
        }
        if (!e.program && !free_slot)
            free_slot = &e;
    }
    if (free_slot && program) {
        strlcpy(free_slot->path, path, sizeof(free_slot->path));
        free_slot->program = move(program);
    }
}

RefPtr<PageSource> find(const char* path)
{
    SpinlockGuard guard(s_lock);
    for (Entry& e : s_entries) {
        if (e.program && strcmp(e.path, path) == 0)
            return e.program;
    }
    return nullptr;
}
} // namespace proc::exec_registry

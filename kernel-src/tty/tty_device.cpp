// The terminals as character devices (Linux's numbers): /dev/console (5:1),
// /dev/tty0 (4:0) and /dev/ttyS0 (4:64) are the console terminal; /dev/tty
// (5:0) is the opening process's controlling terminal (ENXIO without one).
#include <fs/char_device.hpp>
#include <fs/poll.hpp>
#include <kernel/log.hpp>
#include <proc/process.hpp>
#include <tty/tty.hpp>

namespace tty {
namespace {

Tty& terminal_of(fs::OpenFile& f) { return *static_cast<Tty*>(f.private_data()); }

class TerminalOps : public fs::FileOps {
public:
    ErrorOr<void> open(fs::OpenFile& f) override
    {
        f.set_private_data(&console());
        return {};
    }
    bool seekable() const override { return false; }
    ErrorOr<size_t> read(fs::OpenFile& f, const IoBuffer& buf, u64) override
    {
        return terminal_of(f).read(buf, f.flags() & fs::O_NONBLOCK);
    }
    ErrorOr<size_t> write(fs::OpenFile& f, const IoBuffer& buf, u64&) override { return terminal_of(f).write(buf); }
    ErrorOr<i64> ioctl(fs::OpenFile& f, u32 request, u64 arg) override { return terminal_of(f).ioctl(request, arg); }
    u32 poll(fs::OpenFile& f) override
    {
        return (terminal_of(f).has_data() ? fs::POLLIN | fs::POLLRDNORM : 0) | fs::POLLOUT | fs::POLLWRNORM;
    }
};

class ControllingTerminalOps final : public TerminalOps {
public:
    ErrorOr<void> open(fs::OpenFile& f) override
    {
        Process* p = proc::current_process();
        if (!p || !p->ctty)
            return Error::from_errno(ENXIO);
        f.set_private_data(p->ctty);
        return {};
    }
};

TerminalOps s_console_ops;
ControllingTerminalOps s_tty_ops;

} // namespace

void register_devices()
{
    bool ok = !fs::register_char_device({ 5, 1 }, "console", s_console_ops, 0600).is_error();
    ok &= !fs::register_char_device({ 5, 0 }, "tty", s_tty_ops, 0666).is_error();
    ok &= !fs::register_char_device({ 4, 0 }, "tty0", s_console_ops, 0620).is_error();
    ok &= !fs::register_char_device({ 4, 64 }, "ttyS0", s_console_ops, 0660).is_error();
    if (!ok)
        log_warn("tty: could not register every terminal device");
}

} // namespace tty

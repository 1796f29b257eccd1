// The line discipline (see tty.hpp).
//
// Locking: m_lock (a spinlock: input comes from interrupt handlers) guards
// the buffers, termios, window size, session and foreground group. It is
// never held while signals are sent or user memory is touched.
#include <fs/poll.hpp>
#include <kernel/log.hpp>
#include <kernel/time.hpp>
#include <lib/string.hpp>
#include <proc/process.hpp>
#include <proc/sched.hpp>
#include <proc/signal.hpp>
#include <tty/tty.hpp>

namespace tty {

Termios default_termios()
{
    Termios t {};
    t.iflag = ICRNL | IXON | IUTF8;
    t.oflag = OPOST | ONLCR;
    t.cflag = B38400 | CS8 | CREAD | HUPCL;
    t.lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
    t.cc[VINTR] = 003;
    t.cc[VQUIT] = 034;
    t.cc[VERASE] = 0177;
    t.cc[VKILL] = 025;
    t.cc[VEOF] = 004;
    t.cc[VTIME] = 0;
    t.cc[VMIN] = 1;
    t.cc[VSTART] = 021;
    t.cc[VSTOP] = 023;
    t.cc[VSUSP] = 032;
    t.cc[VREPRINT] = 022;
    t.cc[VDISCARD] = 017;
    t.cc[VWERASE] = 027;
    t.cc[VLNEXT] = 026;
    return t;
}

namespace {
constexpr u8 DEL = 0x7f;
constexpr u8 BACKSPACE = 0x08;

bool is_word_char(char c) { return c != ' ' && c != '\t'; }
} // namespace

Tty::Tty(const char* name, Output output) : m_output(output)
{
    strlcpy(m_name, name, sizeof(m_name));
    m_termios = default_termios();
    m_winsize = { 25, 80, 0, 0 };
}

// ---- input ----------------------------------------------------------------

void Tty::receive(const char* bytes, size_t n)
{
    PendingSignals pending;
    {
        SpinlockGuard guard(m_lock);
        for (size_t i = 0; i < n; i++) {
            u8 c = static_cast<u8>(bytes[i]);
            if (!m_escape_length && c != 0x1b) {
                input_byte(c, pending);
                continue;
            }
            // Window size from the host: ESC [ 8 ; rows ; cols t
            m_escape[m_escape_length++] = static_cast<char>(c);
            static constexpr char PREFIX[] = "\x1b[8;";
            bool matches = true;
            u32 semicolons = 0;
            for (u32 k = 0; k < m_escape_length && matches; k++) {
                char e = m_escape[k];
                if (k < 4)
                    matches = e == PREFIX[k];
                else if (e == ';')
                    matches = ++semicolons == 1;
                else if (e == 't')
                    matches = k == m_escape_length - 1 && semicolons == 1;
                else
                    matches = e >= '0' && e <= '9';
            }
            if (matches && c == 't') {
                u32 rows = 0, cols = 0, *field = &rows;
                for (u32 k = 4; k < m_escape_length - 1; k++) {
                    if (m_escape[k] == ';')
                        field = &cols;
                    else
                        *field = *field * 10 + static_cast<u32>(m_escape[k] - '0');
                }
                m_escape_length = 0;
                if (rows && cols && rows < 1000 && cols < 1000) {
                    m_winsize.rows = static_cast<u16>(rows);
                    m_winsize.cols = static_cast<u16>(cols);
                    pending.add(m_pgrp, SIGWINCH);
                }
                continue;
            }
            if (matches && m_escape_length < sizeof(m_escape))
                continue;
            // Not a window size: the bytes are ordinary input.
            u32 len = m_escape_length;
            m_escape_length = 0;
            for (u32 k = 0; k < len; k++)
                input_byte(static_cast<u8>(m_escape[k]), pending);
        }
    }
    for (u32 i = 0; i < pending.count; i++)
        (void)signal::send_to_group(pending.pgrp[i], pending.sig[i]);
    m_readers.wake_all();
    fs::poll_notify();
}

// One input byte: a signal character, or the line discipline.
void Tty::input_byte(u8 c, PendingSignals& pending)
{
    const Termios& t = m_termios;
    if ((t.lflag & ISIG) && !m_literal_next && c && (c == t.cc[VINTR] || c == t.cc[VQUIT] || c == t.cc[VSUSP])) {
        i32 sig = c == t.cc[VINTR] ? SIGINT : c == t.cc[VQUIT] ? SIGQUIT : SIGTSTP;
        if (!(t.lflag & NOFLSH)) {
            m_line_length = 0;
            m_head = m_tail;
            m_lines = 0;
        }
        if (t.lflag & ECHO)
            echo(c);
        pending.add(m_pgrp, sig);
        return;
    }
    receive_byte(c);
}

void Tty::receive_byte(u8 c)
{
    const Termios& t = m_termios;
    if (t.iflag & ISTRIP)
        c &= 0x7f;
    if (!m_literal_next) {
        if (c == '\r') {
            if (t.iflag & IGNCR)
                return;
            if (t.iflag & ICRNL)
                c = '\n';
        } else if (c == '\n' && (t.iflag & INLCR)) {
            c = '\r';
        }
    }
    if (!(t.lflag & ICANON)) {
        if (((m_head + 1) % RING) == m_tail)
            return; // full: drop, as a real UART would
        m_ring[m_head] = static_cast<char>(c);
        m_head = (m_head + 1) % RING;
        if (t.lflag & ECHO)
            echo(c);
        return;
    }
    if (m_literal_next) {
        m_literal_next = false;
        if (m_line_length < sizeof(m_line))
            m_line[m_line_length++] = static_cast<char>(c);
        if (t.lflag & ECHO)
            echo(c);
        return;
    }
    if (c && (c == t.cc[VERASE] || c == BACKSPACE)) {
        erase_last(t.lflag & ECHO);
        return;
    }
    if (c && c == t.cc[VKILL]) {
        while (m_line_length)
            erase_last(t.lflag & ECHO);
        return;
    }
    if ((t.lflag & IEXTEN) && c && c == t.cc[VWERASE]) {
        while (m_line_length && !is_word_char(m_line[m_line_length - 1]))
            erase_last(t.lflag & ECHO);
        while (m_line_length && is_word_char(m_line[m_line_length - 1]))
            erase_last(t.lflag & ECHO);
        return;
    }
    if ((t.lflag & IEXTEN) && c && c == t.cc[VLNEXT]) {
        m_literal_next = true;
        if (t.lflag & ECHO)
            emit("^\b", 2);
        return;
    }
    if ((t.lflag & IEXTEN) && c && c == t.cc[VREPRINT]) {
        if (t.lflag & ECHO) {
            echo(c);
            emit("\n", 1);
            for (u32 i = 0; i < m_line_length; i++)
                echo(static_cast<u8>(m_line[i]));
        }
        return;
    }
    if (c && c == t.cc[VEOF]) {
        commit_line(); // the line so far, without the ^D (empty: end of file)
        return;
    }
    if (m_line_length >= sizeof(m_line) - 1 && c != '\n')
        return; // full line: only the newline gets in
    m_line[m_line_length++] = static_cast<char>(c);
    if (t.lflag & ECHO)
        echo(c);
    else if (c == '\n' && (t.lflag & ECHONL))
        emit("\n", 1);
    if (c == '\n' || (c && (c == t.cc[VEOL] || c == t.cc[VEOL2])))
        commit_line();
}

void Tty::commit_line()
{
    if (m_lines == MAX_LINES)
        return;
    for (u32 i = 0; i < m_line_length; i++) {
        if (((m_head + 1) % RING) == m_tail)
            break;
        m_ring[m_head] = m_line[i];
        m_head = (m_head + 1) % RING;
    }
    m_line_ends[m_lines++] = m_head;
    m_line_length = 0;
}

void Tty::erase_last(bool echo_it)
{
    if (!m_line_length)
        return;
    u8 c = static_cast<u8>(m_line[--m_line_length]);
    if (!echo_it || !(m_termios.lflag & ECHOE))
        return;
    // A control character was echoed as two columns (^X).
    bool wide = (m_termios.lflag & ECHOCTL) && c < 0x20 && c != '\t' && c != '\n';
    emit(wide ? "\b\b  \b\b" : "\b \b", wide ? 6 : 3);
}

void Tty::echo(u8 c)
{
    if ((m_termios.lflag & ECHOCTL) && (c < 0x20 || c == DEL) && c != '\n' && c != '\t') {
        char caret[2] = { '^', static_cast<char>(c == DEL ? '?' : c + '@') };
        emit(caret, 2);
        return;
    }
    char ch = static_cast<char>(c);
    emit(&ch, 1);
}

// Output processing (OPOST/ONLCR/OCRNL), then the device.
void Tty::emit(const char* text, size_t n)
{
    const Termios& t = m_termios;
    if (!(t.oflag & OPOST)) {
        m_output(text, n);
        return;
    }
    char out[256];
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = text[i];
        if (o + 2 > sizeof(out)) {
            m_output(out, o);
            o = 0;
        }
        if (c == '\n' && (t.oflag & ONLCR))
            out[o++] = '\r';
        else if (c == '\r' && (t.oflag & OCRNL))
            c = '\n';
        out[o++] = c;
    }
    if (o)
        m_output(out, o);
}

// ---- process side -----------------------------------------------------------

bool Tty::has_data()
{
    SpinlockGuard guard(m_lock);
    return (m_termios.lflag & ICANON) ? m_lines > 0 : m_head != m_tail;
}

size_t Tty::readable()
{
    SpinlockGuard guard(m_lock);
    u32 available = (m_head + RING - m_tail) % RING;
    if (m_termios.lflag & ICANON)
        return m_lines ? (m_line_ends[0] + RING - m_tail) % RING : 0;
    return available;
}

// True (with the signal sent) when the caller is in a background group of
// this terminal's session and must not read (or write with TOSTOP).
bool Tty::background_check(bool reading)
{
    Process* p = proc::current_process();
    if (!p || p->ctty != this)
        return false;
    i32 pgrp;
    bool tostop;
    {
        SpinlockGuard guard(m_lock);
        pgrp = m_pgrp;
        tostop = m_termios.lflag & TOSTOP;
    }
    if (!pgrp || p->pgid == pgrp || (!reading && !tostop))
        return false;
    i32 sig = reading ? SIGTTIN : SIGTTOU;
    bool ignored_or_blocked;
    {
        SpinlockGuard guard(p->handlers.lock);
        ignored_or_blocked = p->handlers.actions[sig - 1].handler == SIG_IGN ||
                             (sched::current()->sig_blocked & sigbit(sig));
    }
    if (ignored_or_blocked)
        return false; // reads then fail with EIO (below), writes go through
    (void)signal::send_to_group(p->pgid, sig);
    return true;
}

ErrorOr<size_t> Tty::read(const IoBuffer& buffer, bool nonblock)
{
    if (background_check(true))
        return Error::from_errno(ERESTARTSYS);
    {
        Process* p = proc::current_process();
        if (p && p->ctty == this && m_pgrp && p->pgid != m_pgrp)
            return Error::from_errno(EIO); // SIGTTIN ignored or blocked
    }
    size_t want = buffer.size();
    if (want == 0)
        return static_cast<size_t>(0);
    u32 vmin, vtime;
    bool canonical;
    {
        SpinlockGuard guard(m_lock);
        canonical = m_termios.lflag & ICANON;
        vmin = m_termios.cc[VMIN];
        vtime = m_termios.cc[VTIME];
    }
    // How long to wait: canonical and VMIN > 0 wait for data; VMIN = 0 with
    // VTIME waits at most VTIME tenths of a second; VMIN = VTIME = 0 polls.
    u64 deadline = 0;
    bool poll_only = !canonical && vmin == 0 && vtime == 0;
    if (!canonical && vmin == 0 && vtime > 0)
        deadline = time::since_boot_ns() + static_cast<u64>(vtime) * 100000000ull;
    if (!poll_only) {
        auto ready = [this, canonical] {
            SpinlockGuard guard(m_lock);
            return canonical ? m_lines > 0 : m_head != m_tail;
        };
        if (nonblock && !ready())
            return Error::from_errno(EAGAIN);
        auto waited = m_readers.wait_until(ready, true, deadline);
        if (waited.is_error()) {
            if (waited.error().code() == ETIMEDOUT)
                return static_cast<size_t>(0);
            return Error::from_errno(ERESTARTSYS);
        }
    }
    // Copy out through a small bounce buffer (no spinlock across user copies).
    size_t done = 0;
    char chunk[256];
    for (;;) {
        size_t n = 0;
        bool end_of_line = false;
        {
            SpinlockGuard guard(m_lock);
            u32 limit = m_head;
            if (canonical) {
                if (!m_lines)
                    break;
                limit = m_line_ends[0];
            }
            while (n < sizeof(chunk) && done + n < want && m_tail != limit) {
                chunk[n++] = m_ring[m_tail];
                m_tail = (m_tail + 1) % RING;
            }
            if (canonical && m_tail == limit) {
                // The line is consumed (an empty one is end of file).
                for (u32 i = 1; i < m_lines; i++)
                    m_line_ends[i - 1] = m_line_ends[i];
                m_lines--;
                end_of_line = true;
            }
        }
        if (n)
            TRY(buffer.write(done, chunk, n));
        done += n;
        if (end_of_line || done == want || n == 0)
            break;
        if (!canonical && done >= vmin && vmin > 0) {
            SpinlockGuard guard(m_lock);
            if (m_head == m_tail)
                break;
        }
    }
    return done;
}

ErrorOr<size_t> Tty::write(const IoBuffer& buffer)
{
    if (background_check(false))
        return Error::from_errno(ERESTARTSYS);
    char chunk[256];
    size_t done = 0;
    while (done < buffer.size()) {
        size_t n = min(sizeof(chunk), buffer.size() - done);
        auto copied = buffer.read(done, chunk, n);
        if (copied.is_error()) {
            if (done)
                break;
            return copied.release_error();
        }
        {
            SpinlockGuard guard(m_lock);
            emit(chunk, n);
        }
        done += n;
    }
    return done;
}

void Tty::apply_termios(const Termios& fresh, bool flush)
{
    {
        SpinlockGuard guard(m_lock);
        bool was_canonical = m_termios.lflag & ICANON;
        m_termios = fresh;
        if (flush) {
            m_head = m_tail;
            m_lines = 0;
            m_line_length = 0;
        } else if (was_canonical && !(fresh.lflag & ICANON)) {
            // Leaving canonical mode: the partial line becomes readable.
            for (u32 i = 0; i < m_line_length && ((m_head + 1) % RING) != m_tail; i++) {
                m_ring[m_head] = m_line[i];
                m_head = (m_head + 1) % RING;
            }
            m_line_length = 0;
            m_lines = 0;
        }
    }
    m_readers.wake_all();
}

Termios Tty::termios()
{
    SpinlockGuard guard(m_lock);
    return m_termios;
}

WinSize Tty::window_size()
{
    SpinlockGuard guard(m_lock);
    return m_winsize;
}

ErrorOr<i64> Tty::ioctl(u32 request, u64 arg)
{
    Process* p = proc::current_process();
    switch (request) {
    case TCGETS: {
        Termios copy = termios();
        TRY(copy_to_user(arg, &copy, sizeof(copy)));
        return 0;
    }
    case TCSETS:
    case TCSETSW:
    case TCSETSF: {
        Termios fresh;
        TRY(copy_from_user(&fresh, arg, sizeof(fresh)));
        if (background_check(false))
            return Error::from_errno(ERESTARTSYS);
        // Output is never queued, so TCSETSW has nothing to drain.
        apply_termios(fresh, request == TCSETSF);
        return 0;
    }
    case TIOCGWINSZ: {
        WinSize ws = window_size();
        TRY(copy_to_user(arg, &ws, sizeof(ws)));
        return 0;
    }
    case TIOCSWINSZ: {
        WinSize ws;
        TRY(copy_from_user(&ws, arg, sizeof(ws)));
        i32 pgrp;
        bool changed;
        {
            SpinlockGuard guard(m_lock);
            changed = ws.rows != m_winsize.rows || ws.cols != m_winsize.cols;
            m_winsize = ws;
            pgrp = m_pgrp;
        }
        if (changed && pgrp)
            (void)signal::send_to_group(pgrp, SIGWINCH);
        return 0;
    }
    case TIOCGPGRP: {
        if (!p || p->ctty != this)
            return Error::from_errno(ENOTTY);
        TRY(put_user<i32>(arg, m_pgrp));
        return 0;
    }
    case TIOCSPGRP: {
        i32 pgrp = TRY(get_user<i32>(arg));
        if (!p || p->ctty != this || p->sid != m_session)
            return Error::from_errno(ENOTTY);
        if (pgrp < 0)
            return Error::from_errno(EINVAL);
        if (background_check(false))
            return Error::from_errno(ERESTARTSYS);
        bool ok = false;
        {
            SpinlockGuard guard(proc::table_lock());
            for (Process& q : proc::table_locked()) {
                if (q.pgid == pgrp && q.sid == m_session && q.state == ProcessState::Alive) {
                    ok = true;
                    break;
                }
            }
        }
        if (!ok)
            return Error::from_errno(EPERM);
        SpinlockGuard guard(m_lock);
        m_pgrp = pgrp;
        return 0;
    }
    case TIOCGSID:
        if (!p || p->ctty != this || !m_session)
            return Error::from_errno(ENOTTY);
        TRY(put_user<i32>(arg, m_session));
        return 0;
    case TIOCSCTTY: {
        if (!p)
            return Error::from_errno(EPERM);
        if (p->ctty == this)
            return 0;
        // Only a session leader without a terminal; a terminal that belongs
        // to another session only by force (arg 1, root), as on Linux.
        if (p->sid != p->pid || p->ctty)
            return Error::from_errno(EPERM);
        {
            SpinlockGuard guard(m_lock);
            if (m_session && m_session != p->sid && arg != 1)
                return Error::from_errno(EPERM);
            m_session = p->sid;
            m_pgrp = p->pgid;
        }
        p->ctty = this;
        return 0;
    }
    case TIOCNOTTY:
        if (!p || p->ctty != this)
            return Error::from_errno(ENOTTY);
        if (p->sid == p->pid)
            session_leader_exited(p->sid);
        p->ctty = nullptr;
        return 0;
    case FIONREAD:
        TRY(put_user<i32>(arg, static_cast<i32>(readable())));
        return 0;
    case TCFLSH: {
        // 0: input, 1: output, 2: both
        if (arg > 2)
            return Error::from_errno(EINVAL);
        if (arg != 1) {
            SpinlockGuard guard(m_lock);
            m_head = m_tail;
            m_lines = 0;
            m_line_length = 0;
        }
        return 0;
    }
    case TCSBRK:
    case TCSBRKP:
    case TCXONC:
        return 0; // output is never queued; no flow control
    case TIOCOUTQ:
        TRY(put_user<i32>(arg, 0));
        return 0;
    case TIOCSTI: {
        u8 c = TRY(get_user<u8>(arg));
        char ch = static_cast<char>(c);
        receive(&ch, 1);
        return 0;
    }
    default:
        return Error::from_errno(ENOTTY);
    }
}

void Tty::session_leader_exited(i32 sid)
{
    i32 pgrp = 0;
    {
        SpinlockGuard guard(m_lock);
        if (m_session != sid)
            return;
        pgrp = m_pgrp;
        m_session = 0;
        m_pgrp = 0;
    }
    {
        // Nobody in the session keeps this terminal as controlling.
        SpinlockGuard guard(proc::table_lock());
        for (Process& q : proc::table_locked()) {
            if (q.sid == sid && q.ctty == this)
                q.ctty = nullptr;
        }
    }
    if (pgrp) {
        (void)signal::send_to_group(pgrp, SIGHUP);
        (void)signal::send_to_group(pgrp, SIGCONT);
    }
}

} // namespace tty

#pragma once
// A terminal: the line discipline between a keyboard/serial line and the
// programs that read and write it (Linux's n_tty in spirit): canonical mode
// with echo, erase (DEL/^H), ^U, ^W, ^V, ^R, end of file (^D), signals from
// ^C, ^\ and ^Z to the foreground process group; raw and cbreak modes
// (VMIN/VTIME) through termios; window size; sessions, the controlling
// terminal and job control (SIGTTIN/SIGTTOU for background groups).
//
// Input arrives in interrupt context (receive()); readers sleep on a wait
// queue. The output goes to the console (COM1 and the VGA screen).
#include <kernel/uaccess.hpp>
#include <lib/error_or.hpp>
#include <lib/spinlock.hpp>
#include <proc/wait_queue.hpp>
#include <tty/termios.hpp>

struct Process;

namespace tty {

class Tty {
public:
    using Output = void (*)(const char* text, size_t length);
    Tty(const char* name, Output output);

    const char* name() const { return m_name; }

    // Driver side (interrupt context): bytes typed on the keyboard or
    // received on the serial line. `ESC [ 8 ; ROWS ; COLS t` in the input
    // is a window-size change from the host terminal (oskit shell sends it),
    // not data.
    void receive(const char* bytes, size_t n);

    // Process side. ERESTARTSYS when a signal interrupts a blocked read;
    // EAGAIN with nonblock; EIO for an orphaned background reader.
    ErrorOr<size_t> read(const IoBuffer& buffer, bool nonblock);
    ErrorOr<size_t> write(const IoBuffer& buffer);
    ErrorOr<i64> ioctl(u32 request, u64 arg);
    // Bytes a read would return now (poll/FIONREAD).
    size_t readable();
    bool has_data();

    // Called when a session leader whose controlling terminal this is
    // exits: the foreground group gets SIGHUP and SIGCONT.
    void session_leader_exited(i32 sid);
    i32 session() const { return m_session; }
    // Kernel-side settings (ioctl copies them in from user memory first).
    void apply_termios(const Termios& fresh, bool flush);
    Termios termios();
    WinSize window_size();
    i32 foreground_group() const { return m_pgrp; }

    WaitQueue& readers() { return m_readers; }

private:
    struct PendingSignals {
        i32 pgrp[4];
        i32 sig[4];
        u32 count = 0;
        void add(i32 g, i32 s)
        {
            if (g && count < 4) {
                pgrp[count] = g;
                sig[count++] = s;
            }
        }
    };
    void input_byte(u8 c, PendingSignals& pending);
    void receive_byte(u8 c);
    void echo(u8 c);
    void emit(const char* text, size_t n);   // with output processing
    void erase_last(bool echo_it);
    void commit_line();
    bool background_check(bool reading);


    char m_name[16];
    Output m_output;
    Spinlock m_lock;
    Termios m_termios;
    WinSize m_winsize;
    i32 m_session = 0;
    i32 m_pgrp = 0;

    // Committed input, readable now (a ring).
    static constexpr u32 RING = 4096;
    char m_ring[RING];
    u32 m_head = 0; // next write
    u32 m_tail = 0; // next read
    // Canonical mode: the line being edited, and where committed lines end
    // (ring positions; a line ended by ^D has no newline in the ring).
    char m_line[1024];
    u32 m_line_length = 0;
    static constexpr u32 MAX_LINES = 64;
    u32 m_line_ends[MAX_LINES];
    u32 m_lines = 0;
    bool m_literal_next = false;
    // Window-size escape being recognised in the input.
    char m_escape[24];
    u32 m_escape_length = 0;

    WaitQueue m_readers;
};

// The console terminal (/dev/console, /dev/tty0, /dev/ttyS0): COM1 and the
// PS/2 keyboard in, COM1 and the VGA screen out.
Tty& console();
// Turns on interrupt-driven input from COM1 and the keyboard, and registers
// the terminal devices (/dev/console, /dev/tty, /dev/tty0, /dev/ttyS0).
void init();
void register_devices();

} // namespace tty

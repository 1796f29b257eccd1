#pragma once
// Terminal settings as Linux's ioctl interface has them
// (include/uapi/asm-generic/termbits.h, ioctls.h; the kernel's struct
// termios, which TCGETS/TCSETS use, has 19 control characters).
#include <lib/types.hpp>

namespace tty {

constexpr int NCCS = 19;
struct Termios {
    u32 iflag;
    u32 oflag;
    u32 cflag;
    u32 lflag;
    u8 line;
    u8 cc[NCCS];
};
static_assert(sizeof(Termios) == 36);

struct WinSize {
    u16 rows;
    u16 cols;
    u16 xpixel;
    u16 ypixel;
};

// c_cc indices.
enum : int {
    VINTR = 0, VQUIT = 1, VERASE = 2, VKILL = 3, VEOF = 4, VTIME = 5, VMIN = 6, VSWTC = 7, VSTART = 8,
    VSTOP = 9, VSUSP = 10, VEOL = 11, VREPRINT = 12, VDISCARD = 13, VWERASE = 14, VLNEXT = 15, VEOL2 = 16,
};

// c_iflag
constexpr u32 IGNBRK = 0000001, BRKINT = 0000002, IGNPAR = 0000004, ISTRIP = 0000040, INLCR = 0000100,
              IGNCR = 0000200, ICRNL = 0000400, IXON = 0002000, IXANY = 0004000, IMAXBEL = 0020000,
              IUTF8 = 0040000;
// c_oflag
constexpr u32 OPOST = 0000001, ONLCR = 0000004, OCRNL = 0000010, ONOCR = 0000020, ONLRET = 0000040;
// c_cflag
constexpr u32 B38400 = 0000017, CS8 = 0000060, CREAD = 0000200, HUPCL = 0002000;
// c_lflag
constexpr u32 ISIG = 0000001, ICANON = 0000002, ECHO = 0000010, ECHOE = 0000020, ECHOK = 0000040,
              ECHONL = 0000100, NOFLSH = 0000200, TOSTOP = 0000400, ECHOCTL = 0001000, ECHOPRT = 0002000,
              ECHOKE = 0004000, IEXTEN = 0100000;

// ioctl requests (asm-generic/ioctls.h).
enum : u32 {
    TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404, TCSBRK = 0x5409, TCXONC = 0x540A,
    TCFLSH = 0x540B, TIOCSCTTY = 0x540E, TIOCGPGRP = 0x540F, TIOCSPGRP = 0x5410, TIOCOUTQ = 0x5411,
    TIOCSTI = 0x5412, TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, FIONREAD = 0x541B, TIOCNOTTY = 0x5422,
    TIOCGSID = 0x5429, TCSBRKP = 0x5425, TIOCGPTN = 0x80045430, TIOCSPTLCK = 0x40045431,
};

// Linux's defaults for a new terminal (drivers/tty/tty_io.c tty_std_termios).
Termios default_termios();

} // namespace tty

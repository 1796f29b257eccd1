// halt: stop the machine. reboot(2) with RB_HALT_SYSTEM (oskit powers off
// for it too); prints nothing on success, which does not return. Needs
// CAP_SYS_BOOT: EPERM for anyone else, as on Linux.
#include <sys/reboot.h>

#include "ulib.h"

int main(int argc, char **argv) {
  (void)argc;
  set_progname(argv[0]);
  reboot(RB_HALT_SYSTEM);
  die_errno(1, "reboot");
}

// poweroff: power the machine off with reboot(2), LINUX_REBOOT_CMD_POWER_OFF
// (RB_POWER_OFF). Prints nothing on success, which does not return; EPERM
// without CAP_SYS_BOOT, as on Linux.
#include <sys/reboot.h>

#include "ulib.h"

int main(int argc, char **argv) {
  (void)argc;
  set_progname(argv[0]);
  reboot(RB_POWER_OFF);
  die_errno(1, "reboot");
}

// hello: the first user program. Two lines with write(2), no stdio.
#include <unistd.h>

#include "ulib.h"

int main(void) {
  static const char text[] = "Hello from user space!\nSystem call test: write() works!\n";
  return write_all(1, text, sizeof text - 1) < 0 ? 1 : 0;
}

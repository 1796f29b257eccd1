// free [-k]: memory totals from /proc/meminfo, in the seed's format:
//
//   Total: 128 MB       MemTotal
//   Used:  12 MB        Total - Free
//   Free:  116 MB       MemFree
//   Kernel: 4 MB        KernelStack + PageTables
//   Heap: 8 MB          Slab
//
// Values are whole MiB rounded down (-k: KiB). Used is Total - Free in the
// printed unit, so the printed Used + Free always equals the printed Total.
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ulib.h"

static uint64_t field(const char *text, const char *name) {
  uint64_t kb;
  if (!meminfo_kb(text, name, &kb)) die_msg(1, "/proc/meminfo: no %s line", name);
  return kb;
}

int main(int argc, char **argv) {
  set_progname(argv[0]);
  bool in_kb = false;
  int opt;
  while ((opt = getopt(argc, argv, "k")) != -1) {
    if (opt != 'k') {
      fprintf(stderr, "usage: free [-k]\n");
      return 1;
    }
    in_kb = true;
  }
  char text[8192];
  if (read_text_file("/proc/meminfo", text, sizeof text) < 0) die_errno(1, "/proc/meminfo");
  uint64_t total = field(text, "MemTotal"), free_amount = field(text, "MemFree");
  uint64_t kernel = field(text, "KernelStack") + field(text, "PageTables");
  uint64_t heap = field(text, "Slab");
  const char *unit = in_kb ? "kB" : "MB";
  if (!in_kb) {
    total = kb_to_mb(total);
    free_amount = kb_to_mb(free_amount);
    kernel = kb_to_mb(kernel);
    heap = kb_to_mb(heap);
  }
  uint64_t used = total >= free_amount ? total - free_amount : 0;
  printf("Total: %llu %s\n", (unsigned long long)total, unit);
  printf("Used:  %llu %s\n", (unsigned long long)used, unit);
  printf("Free:  %llu %s\n", (unsigned long long)free_amount, unit);
  printf("Kernel: %llu %s\n", (unsigned long long)kernel, unit);
  printf("Heap: %llu %s\n", (unsigned long long)heap, unit);
  if (flush_stdout() < 0) die_errno(1, "write error");
  return 0;
}

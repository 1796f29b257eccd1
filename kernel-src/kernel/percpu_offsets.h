/* Offsets of the Cpu fields that assembly reaches through %gs (kernel/percpu.hpp
 * static_asserts them). Plain #defines: included by C++ and by .S files. */
#pragma once
#define PERCPU_SELF 0
#define PERCPU_SYSCALL_USER_RSP 8
#define PERCPU_SYSCALL_KERNEL_RSP 16
#define PERCPU_CURRENT 24

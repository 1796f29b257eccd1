#pragma once
// The C string and memory functions the compiler may call implicitly
// (memcpy, memset, memmove, memcmp) plus the few the kernel uses.
#include <lib/types.hpp>

extern "C" {
void* memcpy(void* dst, const void* src, size_t n);
void* memmove(void* dst, const void* src, size_t n);
void* memset(void* dst, int c, size_t n);
int memcmp(const void* a, const void* b, size_t n);
size_t strlen(const char* s);
int strcmp(const char* a, const char* b);
int strncmp(const char* a, const char* b, size_t n);
}

const char* strstr(const char* haystack, const char* needle);
const char* strchr(const char* s, int c);

// Copies at most size-1 bytes and always terminates; returns strlen(src).
size_t strlcpy(char* dst, const char* src, size_t size);

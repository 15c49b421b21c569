/* Stack buffer overflow: copy_name copies one byte too many into a local
 * array of format_greeting. */
#include <stdio.h>
#include <string.h>

static void copy_name(char *dst, const char *src, size_t len)
{
	for (size_t i = 0; i <= len; i++)
		dst[i] = src[i]; /* @crash */
}

static int format_greeting(const char *name)
{
	char buf[8];
	copy_name(buf, name, strlen(name));
	return printf("hello %s\n", buf);
}

int main(void)
{
	return format_greeting("lovelace") < 0;
}

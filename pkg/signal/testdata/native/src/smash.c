/* Stack smashing: save_label copies a long label into a small array;
 * the stack protector aborts when save_label returns. */
#include <stdio.h>
#include <string.h>

static int save_label(const char *label)
{
	char buf[8];
	strcpy(buf, label);
	return printf("%s\n", buf) < 0;
} /* @crash */

int main(int argc, char **argv)
{
	const char *label = argc > 1 ? argv[1] : "a label that does not fit";
	return save_label(label);
}

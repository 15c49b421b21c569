/* NULL pointer dereference: find_config returns NULL for an unknown name
 * and config_port dereferences it. */
#include <stdio.h>
#include <string.h>

struct config {
	const char *name;
	int port;
};

static struct config configs[] = {{"http", 80}, {"https", 443}};

static struct config *find_config(const char *name)
{
	for (size_t i = 0; i < sizeof configs / sizeof configs[0]; i++)
		if (strcmp(configs[i].name, name) == 0)
			return &configs[i];
	return NULL;
}

static int config_port(const char *name)
{
	struct config *c = find_config(name);
	return c->port; /* @crash */
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "gopher";
	printf("%d\n", config_port(name));
	return 0;
}

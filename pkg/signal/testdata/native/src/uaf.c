/* Heap use after free: close_session frees the session that
 * session_id reads afterwards. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct session {
	int id;
	char user[16];
};

static struct session *open_session(int id, const char *user)
{
	struct session *s = malloc(sizeof *s); /* @alloc */
	s->id = id;
	strncpy(s->user, user, sizeof s->user - 1);
	s->user[sizeof s->user - 1] = 0;
	return s;
}

static void close_session(struct session *s)
{
	free(s); /* @free */
}

static int session_id(const struct session *s)
{
	return s->id; /* @crash */
}

int main(void)
{
	struct session *s = open_session(42, "ada");
	close_session(s);
	printf("%d\n", session_id(s));
	return 0;
}

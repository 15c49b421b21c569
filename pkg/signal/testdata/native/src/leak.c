/* Memory leaks: the list head is dropped, leaking it directly and its
 * second node and names indirectly. */
#include <stdlib.h>
#include <string.h>

struct node {
	struct node *next;
	char *name;
};

static struct node *new_node(const char *name)
{
	struct node *n = malloc(sizeof *n); /* @crash */
	n->next = NULL;
	n->name = strdup(name);
	return n;
}

static struct node *build_list(void)
{
	struct node *head = new_node("first");
	head->next = new_node("second");
	return head;
}

int main(void)
{
	struct node *list = build_list();
	list = NULL;
	return list != NULL;
}

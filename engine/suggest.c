/*
 * suggest.c — nearest-word suggestions (see suggest.h).
 *
 * Optimal string alignment distance with three rolling rows on the stack
 * (words are short: keys, names, parameter paths), cut off early once every
 * cell of a row exceeds the cap.
 */
#include <string.h>

#include "jfsim.h"
#include "suggest.h"

#define JF__SUGGEST_MAX_LEN 255

size_t jf__edit_distance(const char *a, const char *b, size_t cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > JF__SUGGEST_MAX_LEN || lb > JF__SUGGEST_MAX_LEN)
        return cap + 1;
    if ((la > lb ? la - lb : lb - la) > cap)
        return cap + 1;
    size_t rows[3][JF__SUGGEST_MAX_LEN + 1];
    size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t row_min;
        cur[0] = i;
        row_min = cur[0];
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t d = prev[j] + 1;
            if (cur[j - 1] + 1 < d)
                d = cur[j - 1] + 1;
            if (prev[j - 1] + cost < d)
                d = prev[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < d)
                d = prev2[j - 2] + 1;
            cur[j] = d;
            if (d < row_min)
                row_min = d;
        }
        if (row_min > cap)
            return cap + 1;
        size_t *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb] > cap ? cap + 1 : prev[lb];
}

void jf__suggest_init(jf__suggest *s, const char *word)
{
    s->word = word;
    s->best = NULL;
    s->best_distance = 0;
}

void jf__suggest_offer(jf__suggest *s, const char *candidate)
{
    size_t lw = strlen(s->word), lc = strlen(candidate);
    size_t longer = lw > lc ? lw : lc;
    size_t cap = longer / 3;
    if (cap > 3)
        cap = 3;
    if (cap < 1)
        cap = 1;
    if (s->best && s->best_distance - 1 < cap)
        cap = s->best_distance - 1; /* only strictly better candidates replace the best */
    if (s->best && s->best_distance == 0)
        return;
    size_t d = jf__edit_distance(s->word, candidate, cap);
    if (d <= cap && d > 0 && (!s->best || d < s->best_distance)) {
        s->best = candidate;
        s->best_distance = d;
    }
}

const char *jf__suggest_from(const char *word, const char *const *candidates)
{
    jf__suggest s;
    jf__suggest_init(&s, word);
    for (size_t i = 0; candidates[i]; i++)
        jf__suggest_offer(&s, candidates[i]);
    return s.best;
}

const char *jf_nearest_word(const char *word, const char *const *candidates)
{
    return word && candidates ? jf__suggest_from(word, candidates) : NULL;
}

/*
 * suggest.h — "did you mean ...?" for misspelt keys, names and paths (internal).
 *
 * The nearest candidate by Damerau-style edit distance (Levenshtein plus
 * adjacent transpositions, each edit costs 1), offered only when it is
 * reasonably close: distance <= max(1, min(3, length / 3)) of the longer word,
 * so "volatilty" -> "volatility" but "xyz" suggests nothing.
 */
#ifndef JF_SUGGEST_H
#define JF_SUGGEST_H

#include <stddef.h>

/* Edit distance between a and b, capped: returns `cap + 1` as soon as it must
 * exceed `cap`.  Words longer than 255 bytes compare as "far".  This function can't fail. */
size_t jf__edit_distance(const char *a, const char *b, size_t cap);

/* A running search for the nearest candidate to `word`. */
typedef struct {
    const char *word;
    const char *best;   /* NULL while nothing is close enough; points at a candidate */
    size_t best_distance;
} jf__suggest;

/* Start a search.  This function can't fail. */
void jf__suggest_init(jf__suggest *s, const char *word);

/* Offer a candidate; the pointer must stay valid until the result is used.  This function can't fail. */
void jf__suggest_offer(jf__suggest *s, const char *candidate);

/* Nearest of a NULL-terminated list, or NULL.  This function can't fail. */
const char *jf__suggest_from(const char *word, const char *const *candidates);

#endif /* JF_SUGGEST_H */

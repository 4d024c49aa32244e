/*
 * overrides.h — apply --set PATH=VALUE overrides to a YAML tree (internal).
 *
 * Overrides edit the parsed tree BEFORE validation, so an overridden value
 * is checked exactly like one written in the file.  Path grammar (wider than
 * param_path.h: any key of the tree can be set):
 *
 *   path := comp ("." comp)*
 *   - in a mapping, comp is a key; a missing key is created (a missing
 *     intermediate key becomes an empty mapping, e.g. regime.p_end creates
 *     `regime:`; validation then reports the other missing regime keys);
 *   - in a list, comp is a 1-based index (`resources.x.schedule.3`) or the
 *     `name:` of an item (`resources.lithium`, `schemes.fund`);
 *   - after `sweep.parameters.` and `sensitivity.parameters.` the rest of
 *     the path is ONE key (those keys are parameter paths with dots).
 * The path ends at the first '=' or NUL (jf_override_parse points `path`
 * into the "PATH=VALUE" argument).  VALUE is parsed as YAML (a number, text,
 * a flow mapping or list; empty = no value).  Errors name file "--set",
 * line 1, the 1-based column within "PATH=VALUE", and the path.
 */
#ifndef JF_OVERRIDES_H
#define JF_OVERRIDES_H

#include "jfsim.h"
#include "yaml_tree.h"

/* Apply overrides[0..n) in order to `root` (a mapping).  Nodes created from
 * override k carry src = k + 1.  Returns JF_OK or fills err (USAGE for a
 * malformed path, REFERENCE for an unknown list item name, RANGE for an
 * index outside the list, TYPE for a path through a scalar, and the YAML
 * errors of the value). */
jf_status jf__overrides_apply(jf__ynode *root, const jf_override *overrides, size_t n, jf_error *err);

#endif /* JF_OVERRIDES_H */

/*
 * floor.h — the hardware floor of a scenario (issue "Speed at scale", item 2).
 *
 * The floor is the work no implementation of MODEL.md can avoid for a case of
 * R resources, T years and N paths: draw R·T·N standard normals from the
 * engine's generator (Random123 philox4x64-10, one stream per path and
 * resource, MODEL.md §1), correlate each year's R shocks through the lower
 * Cholesky factor L (z_t = L·e_t, MODEL.md §4: R(R+1)/2 multiply-adds) and
 * take R·T·N exponentials (the price level P = exp(x)).  It leaves out the
 * regime uniforms, volume noise, jumps, fund shocks, uncertain scalars, the
 * fiscal arithmetic, the schemes and all statistics, so the engine can only
 * ever reach a fraction of it; the bench reports that fraction.
 *
 * Two ways to make the normals are measured, and the faster one is "the floor":
 *   JF__FLOOR_BOX_MULLER  philox4x64 called directly, 4 uniforms per call,
 *                         Box–Muller in pairs (4 normals per Philox call, one
 *                         log, sqrt and sin/cos per pair);
 *   JF__FLOOR_ZIGGURAT    the engine's own method: its Philox gsl_rng
 *                         (engine/rng.h) and gsl_ran_gaussian_ziggurat, one
 *                         32-bit word (a quarter of a Philox call) per normal.
 *
 * A third variant counts what this case really draws instead of R·T:
 *   JF__FLOOR_CASE        floor-zig, plus per path as many more ziggurat
 *                         normals and exps as the engine takes beyond R·T
 *                         (counted by jfsim-draws, draw_count.c: noise, jump
 *                         sizes, fund shocks; exps of noise and fund returns),
 *                         from one more stream per path.  Still a lower bound:
 *                         no uniforms, Poisson draws, arithmetic or statistics.
 */
#ifndef JF_BENCH_FLOOR_H
#define JF_BENCH_FLOOR_H

#include <stddef.h>
#include <stdint.h>

#include "jfsim.h"

typedef enum { JF__FLOOR_BOX_MULLER = 0, JF__FLOOR_ZIGGURAT = 1, JF__FLOOR_CASE = 2 } jf__floor_method;

/* The engine's draws per path, averaged over paths (jfsim-draws). */
typedef struct {
    double normals;
    double exps;
} jf__floor_counts;

/*
 * Lower Cholesky factor of the scenario's price-shock correlation matrix
 * (unlisted pairs 0), row-major in `L` (n_resources² doubles, caller-owned).
 * Returns JF_ERR_NOT_PD when the matrix is not positive definite (the loader
 * does not check it; jf_run does).
 */
jf_status jf__floor_cholesky(const jf_scenario *scenario, double *L);

/*
 * Do the floor's work for `paths` paths of `scenario` on `threads` threads
 * (OpenMP, static split of paths) with factor `L` from jf__floor_cholesky.
 * `counts` (JF__FLOOR_CASE only, else ignored) are the engine's normals and
 * exps per path; path p takes floor((p+1)·a) - floor(p·a) of each average a
 * beyond R·T, so the totals match.  Returns JF_OK and a checksum (the sum of
 * every exp(0.1·z), so that nothing can be optimised away) in *checksum,
 * JF_ERR_USAGE for counts below R·T, or JF_ERR_NOMEM.  Allocates one buffer
 * and one stream per thread, nothing per path.
 */
jf_status jf__floor_run(const jf_scenario *scenario, const double *L, uint64_t paths, int threads,
                        jf__floor_method method, const jf__floor_counts *counts,
                        double *checksum);

#endif /* JF_BENCH_FLOOR_H */

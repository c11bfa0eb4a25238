"""Shape optimisation of an occluding wing in a smoke simulation (autograd's fluidsim/wing.py
style, on a small grid): np.roll, Gauss-Seidel projection, advection by floor/astype(int)
indices and fancy indexing, a masked occlusion, and the lift/drag ratio minimised by CG with
value_and_grad; through chainrule.autograd.

Written in the style of the public program it names (not a copy); only the import lines are
chainrule's."""
import chainrule.autograd.numpy as np
from chainrule.autograd import value_and_grad
from scipy.optimize import minimize

rows, cols = 12, 16

def occlude(f, occlusion):
    return f * (1 - occlusion)

def project(vx, vy, occlusion, iterations=6):
    """Make the velocity field roughly mass-conserving (a few Gauss-Seidel sweeps)."""
    p = np.zeros(vx.shape)
    div = -0.5 * (np.roll(vx, -1, axis=1) - np.roll(vx, 1, axis=1)
                  + np.roll(vy, -1, axis=0) - np.roll(vy, 1, axis=0))
    div = make_continuous(div, occlusion)
    for k in range(iterations):
        p = (div + np.roll(p, 1, axis=1) + np.roll(p, -1, axis=1)
             + np.roll(p, 1, axis=0) + np.roll(p, -1, axis=0)) / 4.0
        p = make_continuous(p, occlusion)
    vx = vx - 0.5 * (np.roll(p, -1, axis=1) - np.roll(p, 1, axis=1))
    vy = vy - 0.5 * (np.roll(p, -1, axis=0) - np.roll(p, 1, axis=0))
    return occlude(vx, occlusion), occlude(vy, occlusion)

def advect(f, vx, vy):
    """Move f along (vx, vy) with an implicit Euler step and bilinear interpolation."""
    rows, cols = f.shape
    cell_xs, cell_ys = np.meshgrid(np.arange(cols), np.arange(rows))
    center_xs = (cell_xs - vx).ravel()
    center_ys = (cell_ys - vy).ravel()
    left_ix = np.floor(center_ys).astype(int)
    top_ix = np.floor(center_xs).astype(int)
    rw = center_ys - left_ix
    bw = center_xs - top_ix
    left_ix = np.mod(left_ix, rows)
    right_ix = np.mod(left_ix + 1, rows)
    top_ix = np.mod(top_ix, cols)
    bot_ix = np.mod(top_ix + 1, cols)
    flat_f = (1 - rw) * ((1 - bw) * f[left_ix, top_ix] + bw * f[left_ix, bot_ix]) \
        + rw * ((1 - bw) * f[right_ix, top_ix] + bw * f[right_ix, bot_ix])
    return np.reshape(flat_f, (rows, cols))

def make_continuous(f, occlusion):
    non_occluded = 1 - occlusion
    num = (np.roll(f, 1, axis=0) * np.roll(non_occluded, 1, axis=0)
           + np.roll(f, -1, axis=0) * np.roll(non_occluded, -1, axis=0)
           + np.roll(f, 1, axis=1) * np.roll(non_occluded, 1, axis=1)
           + np.roll(f, -1, axis=1) * np.roll(non_occluded, -1, axis=1))
    den = (np.roll(non_occluded, 1, axis=0) + np.roll(non_occluded, -1, axis=0)
           + np.roll(non_occluded, 1, axis=1) + np.roll(non_occluded, -1, axis=1))
    return f * non_occluded + (1 - non_occluded) * num / (den + 0.001)

def sigmoid(x):
    return 0.5 * (np.tanh(x) + 1.0)

def simulate(vx, vy, num_time_steps, occlusion):
    occlusion = sigmoid(occlusion)
    mask = np.zeros((rows, cols))     # occlusion is allowed only inside this box
    mask[3:9, 4:10] = 1.0
    occlusion = occlusion * mask
    red_smoke = np.zeros((rows, cols))
    red_smoke[rows // 4:rows // 2] = 1
    vx, vy = project(vx, vy, occlusion)
    for t in range(num_time_steps):
        vx_updated = advect(vx, vx, vy)
        vy_updated = advect(vy, vx, vy)
        vx, vy = project(vx_updated, vy_updated, occlusion)
        red_smoke = occlude(advect(red_smoke, vx, vy), occlusion)
    return vx, vy

init_vx = np.ones((rows, cols))
init_vy = np.zeros((rows, cols))

def drag(vx):
    return np.mean(init_vx - vx)

def lift(vy):
    return np.mean(vy - init_vy)

def objective(params, simulation_timesteps=3):
    cur_occlusion = np.reshape(params, (rows, cols))
    final_vx, final_vy = simulate(init_vx, init_vy, simulation_timesteps, cur_occlusion)
    return -lift(final_vy) / drag(final_vx)

def main():
    init_occlusion = -np.ones((rows, cols))
    init_occlusion[4:8, 5:9] = 0.0
    init_occlusion = init_occlusion.ravel()
    # a tilted start: a symmetric block has zero lift
    init_occlusion = init_occlusion + 0.3 * np.linspace(-1, 1, rows * cols)
    values = []
    result = minimize(value_and_grad(objective), init_occlusion, jac=True, method="CG",
                      options={"maxiter": 3}, callback=lambda w: values.append(objective(w)))
    print("wing", objective(init_occlusion), result.fun)
    return init_occlusion, result, values

if __name__ == "__main__":
    main()

"""Grid primitives for program search (arc_solver.synthesis composes them).

A primitive maps a grid (2-D np.uint8, colours 0..9) to a new grid, or returns
None when it does not apply (no object, a tie between objects, shapes that do
not divide, a result outside 1..30 cells a side). Per-cell work (connected
components, flood fill, gravity, symmetry tests, line drawing) is in Numba
kernels (`@njit(cache=True)`); whole-array one-liners stay numpy.

Families: whole-grid (dihedral, crop, scale, tile, kron, pad, shift, compress),
colour (keep/remove a colour, most/least common colour), objects (components,
selection, extract, keep/remove, recolour by rank, move), gravity, fills (enclosed areas, floods from a
colour, bounding boxes, empty squares) and lines (rays, dashed rays, joins, bouncing zigzags),
symmetry (overlay mirror images, complete a masked symmetric picture),
splitting by separator lines and cell-wise boolean combination of the parts.

Background `bg`: a colour, or -1 = the grid's most common colour.

Modules: base, geometry, colour, objects, moving (gravity, alignment, flights, brackets, walls), fitting (jigsaw
pieces), fills, lines (rays, joins, zigzags, bars between facing objects), symmetry, patterns (periodic pictures), splitting, copying (templates and markers), features
(per-cell context for learned rules). This package re-exports every primitive, so
`from arc_solver import programs as P; P.dihedral(...)` is the one way in.

    .venv/bin/python -m pytest tests/test_programs_*.py -q
"""
from __future__ import annotations

from .base import MAX_SIDE, NO_BG, Grid, as_grid, same_grid, valid, checked, colour_counts, most_common, resolve_bg, framed
from .geometry import (CORNERS, embed, dihedral, inverse_dihedral, crop_to_content, crop_border, scale_up, scale_by_colours, scale_down, tile,
    kron_self, shear, roll_lines, mosaic_cells, pad, pad_edges, draw_border, shift, remove_empty_lines, dedupe_lines, keep_middle_line, sort_lines, concat_mirror,
    reflect_extend)
from .colour import (keep_colour, remove_colour, ranked_colour, colour_pixel, recolour_nonbg,
    apply_colour_map, learn_colour_map, line_majority, keep_ranked_colour, NEIGHBOUR_MODES, recolour_by_neighbour, band_colours, recolour_like_odd_one,
    LEGEND_MODES, legend_pairs, recolour_by_legend)
from .objects import (label_kernel, boxes_kernel, Obj, label, objects, unique_extreme, unique_by_key, SELECTORS, Objects,
    SELECTOR, select_object, crop_object, keep_object, remove_small, remove_inside_boxes, recolour_by_size_rank, recolour_by_size,
    outline, interior_cells, grow_mask, halo, object_properties, recolour_objects, hole_mask)
from .fitting import (assemble_corners, fit_together, fill_holes_with_pieces, scale_into_frame, stack_colours_centred,
                      stack_on_anchor)
from .moving import (stretch_to_marker, mirror_across_brackets, gravity_to_own_wall, gravity_down_kernel, gravity, object_gravity, align_objects, move_to_contact, DIRECTIONS8,
    attract_kernel, attract, turn_in_place)
from .fills import (reach_kernel, border_reach_kernel, enclosed, fill_enclosed, flood_from, fill_squares, fill_colour_boxes,
    fill_boxes, centre_lines, project_markers, corner_rectangles, fill_between_corners, move_into_frame,
    largest_rectangle_kernel, fill_largest_rectangle, fill_leaky_box, fill_empty_lines)
from .lines import (elbow, extend_segments, lines_kernel, LINE_DIRECTIONS, ONE_DIAGONAL, draw_lines, RAY_MODES, ray_mask_kernel, ray_mask,
    ray_labels, colour_rays, connect_kernel, connect,
    connect_diagonal_kernel, connect_diagonal, join_diagonal, extend_tails, bounce_kernel, bounce, corner_rays, bridge,
    complete_broken_lines, hole_lines)
from .symmetry import (symmetrize, symmetrize_about, complete_rotation, symmetry_stats_kernel, symmetry_fill_kernel,
    find_symmetries, complete_symmetry, is_symmetric)
from .patterns import (period_kernel, find_period, complete_pattern, line_period, tile_unit, extend_periodic,
    extend_shifted, repeat_content, repeat_runs, complete_lines_by_analogy)
from .splitting import (separator_lines, split, split_layout, BOOLEAN_OPS, combine_parts, mask_by_key, kron_by_key, overlay_parts,
    overlay_by_precedence, PART_SELECTORS, select_part, symmetries, only_filled_part, broadcast_part, spread_part, part_to_marker, part_boxes, pick_part,
    cells_to_pixels, part_counts)
from .copying import (complete_templates, move_onto_markers, paste_on_markers, repeat_towards_markers,
    stamp_scaled_template)
from .features import rays_kernel, depth_kernel, CELL_FEATURES, NEIGHBOURS, cell_features

__all__ = ["annotations", "MAX_SIDE", "NO_BG", "Grid", "as_grid", "framed", "same_grid", "valid", "checked", "colour_counts",
           "most_common", "resolve_bg", "dihedral", "inverse_dihedral", "crop_to_content", "crop_border",
           "CORNERS", "embed", "scale_up", "scale_by_colours", "scale_down", "tile", "kron_self", "pad", "pad_edges", "draw_border", "shift", "remove_empty_lines",
           "dedupe_lines", "keep_middle_line", "sort_lines", "concat_mirror", "reflect_extend", "shear", "roll_lines", "mosaic_cells", "keep_colour", "remove_colour", "ranked_colour", "colour_pixel",
           "recolour_nonbg", "apply_colour_map", "learn_colour_map", "line_majority", "NEIGHBOUR_MODES", "recolour_by_neighbour", "label_kernel", "boxes_kernel", "Obj",
           "label", "objects", "unique_extreme", "unique_by_key", "SELECTORS", "Objects", "SELECTOR", "select_object",
           "crop_object", "keep_object", "remove_small", "remove_inside_boxes", "recolour_by_size_rank", "recolour_by_size", "outline", "interior_cells",
           "grow_mask", "halo", "keep_ranked_colour", "centre_lines", "project_markers", "corner_rectangles",
           "fill_between_corners", "move_into_frame",
           "gravity_down_kernel", "gravity", "object_gravity", "object_properties", "recolour_objects", "hole_mask", "align_objects", "move_to_contact", "DIRECTIONS8", "attract_kernel", "attract", "turn_in_place",
           "reach_kernel", "border_reach_kernel", "enclosed", "fill_enclosed", "flood_from", "fill_squares", "largest_rectangle_kernel", "fill_largest_rectangle", "fill_leaky_box", "fill_empty_lines", "fill_colour_boxes", "fill_boxes", "lines_kernel", "LINE_DIRECTIONS", "ONE_DIAGONAL",
           "draw_lines", "elbow", "extend_segments", "RAY_MODES", "ray_mask_kernel", "ray_mask", "ray_labels", "colour_rays", "connect_kernel", "connect", "connect_diagonal_kernel", "connect_diagonal", "join_diagonal", "extend_tails", "bounce_kernel", "bounce", "corner_rays", "symmetrize", "symmetrize_about", "complete_rotation", "symmetry_stats_kernel",
           "symmetry_fill_kernel", "find_symmetries", "complete_symmetry", "is_symmetric", "period_kernel",
           "find_period", "complete_pattern", "line_period", "tile_unit", "extend_periodic", "extend_shifted", "repeat_content", "repeat_runs", "complete_lines_by_analogy", "separator_lines", "split", "split_layout", "BOOLEAN_OPS",
           "combine_parts", "mask_by_key", "kron_by_key", "overlay_parts", "overlay_by_precedence", "PART_SELECTORS", "select_part", "symmetries", "only_filled_part", "broadcast_part", "spread_part", "part_to_marker", "part_boxes", "pick_part", "cells_to_pixels", "part_counts",
           "band_colours", "recolour_like_odd_one", "LEGEND_MODES", "legend_pairs", "recolour_by_legend", "stretch_to_marker", "mirror_across_brackets", "gravity_to_own_wall", "assemble_corners", "fit_together", "fill_holes_with_pieces", "stack_on_anchor", "stack_colours_centred",
           "scale_into_frame", "paste_on_markers", "move_onto_markers", "repeat_towards_markers",
           "complete_templates", "stamp_scaled_template", "bridge", "complete_broken_lines", "hole_lines", "rays_kernel", "depth_kernel", "CELL_FEATURES", "NEIGHBOURS", "cell_features"]

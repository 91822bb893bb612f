// The group section: the shareholding tree the relation belongs to, from the ultimate
// parents down, built from the flat `group` edges (holder -> subsidiary, depth, percentage).

import { h, emptyState, relationPath } from '../dom.js';
import { formatPercentage } from '../format.js';
import { section } from './card-sections.js';

/** Roots are holders that are nobody's subsidiary; with a cycle, the shallowest holders. */
function findRoots(edges) {
  const subsidiaries = new Set(edges.map((edge) => edge.subsidiary.id));
  const roots = new Map();
  for (const edge of edges) {
    if (!subsidiaries.has(edge.holder.id)) roots.set(edge.holder.id, edge.holder);
  }
  if (roots.size === 0 && edges.length) {
    const minDepth = Math.min(...edges.map((edge) => edge.depth ?? 0));
    for (const edge of edges) if ((edge.depth ?? 0) === minDepth) roots.set(edge.holder.id, edge.holder);
  }
  return [...roots.values()].sort((a, b) => a.displayName.localeCompare(b.displayName, 'nl'));
}

function nodeLabel(relation, currentId) {
  if (relation.id === currentId) {
    return h('span', { class: 'tree__current', 'aria-current': 'page' }, relation.displayName);
  }
  return h('a', { href: relationPath(relation.id), 'data-testid': 'group-link' }, relation.displayName);
}

function subtree(holderId, byHolder, currentId, path) {
  const children = byHolder.get(holderId) ?? [];
  if (!children.length) return null;
  return h('ul', { class: 'tree__children' }, children.map((edge) => {
    const { subsidiary } = edge;
    // A path guard: bad data with a cycle must not hang the page.
    const looped = path.has(subsidiary.id);
    return h('li', { class: 'tree__node', 'data-testid': 'group-node', 'data-edge-depth': String(edge.depth ?? '') },
      h('span', { class: 'tree__percentage' }, formatPercentage(edge.percentage)), ' ',
      nodeLabel(subsidiary, currentId),
      looped ? null : subtree(subsidiary.id, byHolder, currentId, new Set([...path, subsidiary.id])));
  }));
}

export function groupSection(card) {
  const edges = (card.relation.group ?? []).filter((edge) => edge?.holder && edge?.subsidiary);
  if (!edges.length) return section('group', 'Groepsstructuur', emptyState('Deze relatie hoort niet bij een groep.'));
  const byHolder = new Map();
  for (const edge of edges) {
    if (!byHolder.has(edge.holder.id)) byHolder.set(edge.holder.id, []);
    byHolder.get(edge.holder.id).push(edge);
  }
  for (const list of byHolder.values()) {
    list.sort((a, b) => Number(b.percentage) - Number(a.percentage)
      || a.subsidiary.displayName.localeCompare(b.subsidiary.displayName, 'nl'));
  }
  const currentId = card.relation.id;
  const tree = h('ul', { class: 'tree', 'aria-label': 'Groepsstructuur' }, findRoots(edges).map((root) =>
    h('li', { class: 'tree__node tree__root', 'data-testid': 'group-node', 'data-root': 'true' },
      nodeLabel(root, currentId),
      subtree(root.id, byHolder, currentId, new Set([root.id])))));
  return section('group', 'Groepsstructuur', tree);
}

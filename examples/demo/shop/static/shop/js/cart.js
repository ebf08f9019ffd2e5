export function addToCart(id) { return fetch(`/cart/add/${id}`, { method: 'POST' }); }

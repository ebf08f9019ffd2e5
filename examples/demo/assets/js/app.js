document.addEventListener('DOMContentLoaded', () => console.log('demo ready'));

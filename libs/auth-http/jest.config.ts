export default {
  displayName: 'auth-http',
  preset: '../../jest.preset.cjs',
  rootDir: '.',
};

export default {
  displayName: 'auth-core',
  preset: '../../jest.preset.cjs',
  rootDir: '.',
};

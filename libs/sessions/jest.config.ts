export default {
  displayName: 'sessions',
  preset: '../../jest.preset.cjs',
  rootDir: '.',
};

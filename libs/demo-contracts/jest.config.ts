export default {
  displayName: 'demo-contracts',
  preset: '../../jest.preset.cjs',
  rootDir: '.',
};

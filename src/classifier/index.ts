/**
 * The digit classifier (issue #18): an MLP trained with pure-gan's own core on labelled
 * images, its class probabilities, penultimate features, accuracy and feature Fréchet
 * distance, and its JSON codec.
 *
 * @module
 */
export {
  DIGIT_CLASSES,
  type DigitClassifier,
  type DigitClassifierOptions,
  type DigitClassifierTraining,
  classifierAccuracy,
  classifierFeatures,
  classifierProbabilities,
  featureFrechetDistance,
  trainDigitClassifier,
} from './digit-classifier.js'
export { DIGIT_CLASSIFIER_FORMAT, DIGIT_CLASSIFIER_FORMAT_VERSION, decodeDigitClassifier, encodeDigitClassifier } from './codec.js'

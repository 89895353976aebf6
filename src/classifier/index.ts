/**
 * The digit classifier (issue #18): an MLP trained with pure-gan's own core on labelled
 * images, its class probabilities, penultimate features, accuracy and feature Fréchet
 * distance, its JSON codec, and the evaluation of a generator's digits with it.
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
export {
  type DigitScores,
  type GeneratedDigitsEvaluation,
  type GeneratedDigitsOptions,
  type ParzenCandidate,
  type ParzenEvaluation,
  type ParzenEvaluationOptions,
  evaluateGeneratedDigits,
  parzenEvaluation,
  realDigitReference,
} from './generator-evaluation.js'
